"""Bulletins (简报): generated, edited, issued and archived as PDF (issue 6)."""
