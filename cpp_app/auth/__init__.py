"""User accounts: login and logout, passwords, lockout and user administration."""
