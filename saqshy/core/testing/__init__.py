"""Shared test infrastructure: named personas, geography fixtures and inherited test mixins."""
