"""Tests of the semi-annual update."""
