"""Scheduled nudges: the sweep job, what each kind of reminder says, muting them in /settings."""
