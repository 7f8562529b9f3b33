"""Accounts for moderators and admins: password hashing, sessions, account commands."""
