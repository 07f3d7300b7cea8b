"""Tests of the `flask cpp` commands."""
