"""A contract after hiring: delivery, approval and payment, deadlines, cancellation."""
