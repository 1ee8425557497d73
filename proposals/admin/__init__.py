"""The 民生办's admin for collection rounds, proposals, candidates and their decision procedure, and the
year rollover, one module each; importing this package registers them all, in this order. Every handling
step goes through a confirmation page and changes data only on POST, by calling the same services as the
API."""

# isort: off
from . import rounds, proposals, candidates, decisions, rollover  # noqa: F401  (registration)

# isort: on
from .common import ConfirmedActionsMixin, ReadOnlyAdmin

__all__ = ["ConfirmedActionsMixin", "ReadOnlyAdmin"]
