"""Excel ledgers (台账): import and export with django-import-export (issue 7)."""
