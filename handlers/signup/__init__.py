"""Signup."""
