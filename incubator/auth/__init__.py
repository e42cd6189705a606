"""Accounts, roles, sessions and the tokens behind e-mailed links."""
