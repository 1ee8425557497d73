"""Models of funding arrive with their issue."""
