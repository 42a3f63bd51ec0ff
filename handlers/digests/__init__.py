"""Digests: the matching leads beyond a seller's daily alerts, gathered by a scheduled job
into one message as often as the seller picks in /settings."""
