"""Tests of the PDF reports and the queue that renders them."""
