"""Random public codes (tracking codes, receipts, verification codes): one generator for all of them."""

import random
import secrets

# No 0/O, 1/I/L: a citizen reads the code off a phone screen and types it back.
READABLE = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DIGITS = "0123456789"


def random_code(
    prefix: str, length: int, alphabet: str = READABLE, *, rng: random.Random | None = None
) -> str:
    """`prefix` and `length` characters drawn from `alphabet`, from the OS's secure source unless a seeded
    `rng` is given (demo data that must come out the same on every load)."""
    choice = rng.choice if rng is not None else secrets.choice
    return prefix + "".join(choice(alphabet) for _ in range(length))
