"""Composition root: settings, the Application, persistence, outbox dispatcher and the CLI."""
