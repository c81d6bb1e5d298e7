"""Public alerts in CAP 1.2: authoring, approval, publication (Atom, XML) and ingest."""
