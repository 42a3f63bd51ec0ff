"""Contact Us: a user writes to the Leadline team; an admin answers in the same chat."""
