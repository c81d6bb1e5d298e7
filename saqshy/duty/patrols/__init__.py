"""Patrol plans: crews from the units on duty, stops from the hotspot forecast, crew sheets.

Layers, checked by import-linter: ``views`` → ``services``.
"""
