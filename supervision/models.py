"""Models of supervision arrive with their issue."""
