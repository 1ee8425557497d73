"""Notifications through pluggable channels: in-app, e-mail, SMS; sent on commit, never twice (issue 5)."""
