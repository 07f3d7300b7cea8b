"""Reminders: the rules, in-app notifications, the email outbox and the scheduler."""
