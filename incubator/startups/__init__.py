"""Startups: the profile a founder builds, and its team."""
