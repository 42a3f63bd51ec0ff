"""Reviews after a lead is completed: the buyer's stars per skill, the seller's rating."""
