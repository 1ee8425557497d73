"""Phone verification by one-time SMS codes, with rate limits: used by votes, proposals and surveys."""
