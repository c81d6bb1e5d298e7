"""Readiness: the level in force per region and agency, what it means for staffing and reserve,
and the services that set and end a level.

Layers, checked by import-linter: ``views`` → ``services`` → ``queries``.
"""
