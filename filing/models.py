"""Monthly filing by units through plain web forms, outside the admin (issue 5)."""
