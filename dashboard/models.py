"""The leader dashboard: a read-only page fed by the API (issue 6)."""
