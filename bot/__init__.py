"""Composition root: settings, the Application, persistence, outbox dispatcher and the CLI."""

import os

# Opt in to PTB 22's future behaviour now: durations such as RetryAfter.retry_after are
# timedelta objects (the dispatcher handles both), and no deprecation warning is raised.
os.environ.setdefault("PTB_TIMEDELTA", "1")
