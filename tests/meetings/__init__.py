"""Tests of community meetings."""
