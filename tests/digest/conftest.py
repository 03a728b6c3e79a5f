"""Fixtures of the digest tests: the shared ones are in tests/conftest.py."""
