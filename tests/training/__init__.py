"""Tests of training records, their import and the compliance rule."""
