"""Tests of reminders, notifications and the email outbox."""
