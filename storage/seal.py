"""Tokens at rest: sealed with a key from the environment (`SALESMEET_SECRET_KEY`), so a
copy of the database file holds no usable token.

Fernet (AES-128-CBC with an HMAC-SHA256, from the `cryptography` package) rather than
hand-made crypto. While a key is rotated, the old one (`SALESMEET_SECRET_KEY_OLD`) still
opens what it sealed; everything is sealed anew with the current key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SealError(Exception):
    """A sealed value that no configured key opens (a wrong or missing key)."""


def _fernet(secret: str) -> Fernet:
    """A Fernet key as given, or one derived from any other secret text."""
    try:
        return Fernet(secret.encode())
    except (ValueError, TypeError):
        digest = hashlib.sha256(secret.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


class Seal:
    def __init__(self, key: str, *old_keys: str) -> None:
        if not key:
            raise ValueError("a key is needed to seal tokens")
        self._fernet = MultiFernet([_fernet(k) for k in (key, *old_keys) if k])

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as error:
            raise SealError("no configured key opens this token") from error

    def reseal(self, sealed: str) -> str:
        """Sealed anew with the current key (after a key rotation)."""
        return self._fernet.rotate(sealed.encode()).decode()
