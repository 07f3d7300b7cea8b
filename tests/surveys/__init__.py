"""Tests of community surveys: building, the public form and the results."""
