"""Tests of user administration."""
