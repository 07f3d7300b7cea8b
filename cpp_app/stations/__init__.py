"""Stations (their areas and aliases), department members and the languages members speak."""
