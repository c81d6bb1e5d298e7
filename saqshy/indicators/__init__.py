"""The commission's indicators (issue 12)."""
