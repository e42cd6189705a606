"""Mentoring: mentors assigned to startups, session notes and action items."""
