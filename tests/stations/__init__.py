"""Tests of the station and member pages."""
