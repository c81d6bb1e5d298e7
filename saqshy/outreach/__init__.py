"""Outreach: awareness campaigns and parent meetings at schools."""
