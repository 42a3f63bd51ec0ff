"""Telegram only: conversation flows, keyboards, callback-data codec, texts and views."""
