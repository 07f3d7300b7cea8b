"""The append-only audit log of every change, each event chained to the last by its hash."""
