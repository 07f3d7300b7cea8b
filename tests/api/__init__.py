"""Tests of the JSON API: tokens and their scopes, pushing and listing records."""
