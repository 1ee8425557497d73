"""Public votes on candidates: verified phones, one-time codes, ballots, receipts and tallies (issue 3)."""
