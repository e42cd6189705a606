"""Activities (trainings, classes, coaching clinics, competitions) and attendance."""
