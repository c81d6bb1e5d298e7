"""Demo data: the committed bundle under ``data/`` and the loader that imports it."""
