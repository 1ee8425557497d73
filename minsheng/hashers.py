"""Password hashing with SM3 (商用密码): PBKDF2-HMAC-SM3, for `settings.PASSWORD_HASHERS`.

With national cryptography on, settings put this hasher first, so Django hashes new passwords with it and
rehashes an older PBKDF2-SHA256 (or any other listed) hash on the user's next successful login; with it
off, it stays in the list after the default one, so hashes made while it was on still verify (and are
rehashed back). See `password_hashers()` in minsheng/settings/base.py.
"""

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils.encoding import force_bytes, force_str


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with HMAC-SM3, 32-byte output, stored as "pbkdf2_sm3$<iterations>$<salt>$<base64>".

    Derived through pyca/cryptography's PBKDF2HMAC with hashes.SM3 (OpenSSL bundled in its wheel), not
    `hashlib.pbkdf2_hmac("sm3", ...)`: whether hashlib has SM3 depends on how the system's OpenSSL was
    built (some distributions leave SM3/SM4 out).

    Iterations: one SM3 compression costs about three SHA-256 ones on the same CPU (no SM3 instructions on
    common servers), so 500,000 iterations take about the time of Django's 1,500,000 PBKDF2-SHA256
    iterations and cost a guesser about as much. Decoding, verification, the rehash on a changed
    iteration count and the timing hardening are the parent's.
    """

    algorithm = "pbkdf2_sm3"
    iterations = 500_000

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        self._check_encode_args(password, salt)  # type: ignore[attr-defined]  # Django's, not in the stubs
        iterations = iterations or self.iterations
        salt = force_str(salt)
        kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=force_bytes(salt), iterations=iterations)
        derived = base64.b64encode(kdf.derive(force_bytes(password))).decode("ascii").strip()
        return f"{self.algorithm}${iterations}${salt}${derived}"
