"""Tests of engagement records and their import."""
