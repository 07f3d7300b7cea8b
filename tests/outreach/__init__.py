"""Tests of stakeholders and the outreach log."""
