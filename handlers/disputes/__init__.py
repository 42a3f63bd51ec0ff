"""Disputes: a side of a contract opens one; administrators read, write and resolve."""
