"""Repositories: queries and writes over one session; they never commit."""
