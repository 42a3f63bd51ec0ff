"""What the terms feature says."""

from __future__ import annotations

ACCEPT = "✅ I accept the terms"
READ = "📜 Read the terms"
ACCEPTED = "✅ Thank you — you accepted the terms. Carry on where you were."
ALREADY_ACCEPTED = "You have already accepted these terms."
CHANGED_SINCE = "The terms changed since that button was sent; here are the current ones."
MUST_ACCEPT_ALERT = "Our terms of service have changed: please accept them first."
MUST_ACCEPT = (
    "📜 <b>Our Terms of Service have changed.</b> Please read them (/terms) and tap "
    "<b>I accept</b> to go on. Meanwhile you can still see your /profile, /dashboard and "
    "/messages, and write to us with /contact."
)
