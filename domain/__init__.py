"""Leadline's pure rules: entities, lifecycles, validation and use cases (standard library only)."""
