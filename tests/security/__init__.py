"""Tests of the security settings, headers, CSRF, throttling and route permissions."""
