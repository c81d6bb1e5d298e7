"""Rosters: plan runs (request, background computation, result), the roster written as shifts,
re-planning after a sickness or a change of posts, and roster exports.

Layers, checked by import-linter: ``views`` → ``tasks`` → ``plans`` (the run services) →
``planning`` (records in, optimiser problems and gap rows out) and ``exports``.
"""
