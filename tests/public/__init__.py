"""Tests of the public portal, open data and their translations."""
