"""Proposal collection rounds, proposals, candidates (备选), the decision procedure and the
year rollover (issue 3)."""
