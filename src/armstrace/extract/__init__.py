"""Extraction stages: one module per concern (actors, items, transfers, status, attribution)."""
