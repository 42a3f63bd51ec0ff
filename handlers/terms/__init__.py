"""The terms of service: /terms, accepting a new version, and the gate until one does."""
