"""Hotspot forecasts: events on a metric grid, baseline and better models, hit rate and PAI.

Pure: numpy, scipy, pyproj, and pyarrow; no Django. See ``models`` for the models,
``metrics`` for the metrics and the study-area rule, ``evaluate`` for the hold-out evaluation.
"""
