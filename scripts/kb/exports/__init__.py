"""Exports: `claims.json`, one JSON file per claim, and the JSON Schemas."""
