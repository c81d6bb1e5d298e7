"""The commission's actionplan (issue 12)."""
