"""Growth across gates (one rubric shared by several rounds) and the proposed action items made from
a round's weakest criteria for the mentors of each advanced startup."""
