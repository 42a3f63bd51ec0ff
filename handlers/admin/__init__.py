"""The admin console (/admin): counts, users, suspensions, announcements, flagged messages,
transcripts, and verifying sellers' documents. Only configured admins reach it."""
