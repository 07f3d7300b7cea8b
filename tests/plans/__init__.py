"""Tests of community policing plans and their update schedule."""
