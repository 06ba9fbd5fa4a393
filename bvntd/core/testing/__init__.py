"""Helpers for tests that need more than Django's test client (the browser journey)."""
