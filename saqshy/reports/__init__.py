"""The commission's reports (issue 12)."""
