"""Tests of the import library, its pages and the member roster import."""
