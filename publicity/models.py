"""Models of publicity arrive with their issue."""
