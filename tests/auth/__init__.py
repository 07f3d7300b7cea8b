"""Tests of logging in and out, lockout after failed attempts, and ended sessions."""
