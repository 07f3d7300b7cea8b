"""Outreach: stakeholders, the outreach log and its coverage, volunteers, language access."""
