"""Protection of consumers' personal data: field encryption, blind indexes and masking.

Law 91/2025/QH15 on personal data protection requires personal data to be protected by technical measures
proportionate to the risk; ARCHITECTURE rule 8 makes that concrete: consumer names, phones, e-mails,
addresses and ID numbers are encrypted at rest, found through keyed blind indexes, shown masked by default.

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first. To rotate: put a new key first, keep the old
ones, run `manage.py rotate_keys`, then remove the old ones.
"""

import functools
import hashlib
import hmac
import re

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from bvntd.core.text import clean_line

__all__ = [
    "DecryptionError",
    "blind_index",
    "decrypt",
    "encrypt",
    "is_current",
    "mask_email",
    "mask_name",
    "mask_phone",
    "mask_text",
    "reset_keys",
    "rotate",
]

MASK = "*"
EMAIL_MASK = "*" * 7  # fixed length: the mask must not tell how long the address is
TEXT_VISIBLE = 6


class DecryptionError(ValueError):
    """A stored token none of the configured keys can open: a key was removed too early, or the value was
    not written through `encrypt`."""


@functools.cache
def _keys() -> tuple[MultiFernet, Fernet]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(keys, str):
        keys = [keys]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key")
    try:
        fernets = [Fernet(key) for key in keys]
    except (ValueError, TypeError):
        # Never echo the key itself into logs.
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None
    return MultiFernet(fernets), fernets[0]


def reset_keys() -> None:
    """Forget the cached keys, so the next call reads settings again (tests, key rotation)."""
    _keys.cache_clear()


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs: object) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        reset_keys()


def encrypt(text: str) -> str:
    """Encrypt with the newest key. Fernet is randomised: the same text gives a different token each time,
    so tokens can be neither compared nor searched (use `blind_index` for look-ups)."""
    multi, _newest = _keys()
    return multi.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt with whichever configured key opens the token."""
    multi, _newest = _keys()
    try:
        return multi.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            "cannot decrypt a stored value with FIELD_ENCRYPTION_KEYS (was an old key removed?)"
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key, keeping its original timestamp."""
    multi, _newest = _keys()
    try:
        return multi.rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            "cannot rotate a stored value: no key in FIELD_ENCRYPTION_KEYS opens it"
        ) from None


def is_current(token: str) -> bool:
    """Whether the newest key already opens this token (`rotate_keys` skips those, so a second run is a
    no-op)."""
    _multi, newest = _keys()
    try:
        newest.decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def blind_index(kind: str, normalised_value: str) -> str:
    """Keyed hash for exact look-ups of an encrypted value: 64 hex characters.

    The caller normalises first (phone in E.164, e-mail lower-cased) so that equal values index equally.
    `kind` ("phone", "email", ...) is mixed in so that the same string never matches across kinds."""
    if not kind or ":" in kind:
        raise ValueError("blind_index kind must be a non-empty name without ':'")
    key = settings.BLIND_INDEX_KEY
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is required")
    message = f"{kind}:{normalised_value}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


# Masking for staff views. What is shown must be enough to tell two consumers apart on a screen, and not
# enough to identify or contact one; the full value is shown only through an audited unmasking.


def _mask_word(word: str) -> str:
    return word[:1] + MASK * (len(word) - 1)


def mask_name(name: str) -> str:
    """Family name (first word) whole, then initials: "Nguyễn Văn An" → "Nguyễn V** A*".

    A one-word name would be shown whole by that rule, so it is reduced to its initial too."""
    words = clean_line(name).split(" ")
    if words == [""]:
        return ""
    if len(words) == 1:
        return _mask_word(words[0])
    return " ".join([words[0], *(_mask_word(word) for word in words[1:])])


def _mask_digits(digits: str) -> str:
    # Keep the first 2 and last 3 digits only while that hides at least as many as it shows.
    if len(digits) >= 8:
        return digits[:2] + MASK * (len(digits) - 5) + digits[-3:]
    if len(digits) >= 4:
        return MASK * (len(digits) - 2) + digits[-2:]
    return MASK * len(digits)


def mask_phone(phone: str) -> str:
    """Country code, first 2 and last 3 digits of the national number: "+84912345678" → "+84 91****678".
    A number without a country code keeps its trunk 0 as well: "0912345678" → "091****678"."""
    phone = clean_line(phone)
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if phone.startswith("+"):
        try:
            country_code = str(phonenumbers.parse(phone, None).country_code)
        except phonenumbers.NumberParseException:
            return "+" + _mask_digits(digits)
        return f"+{country_code} {_mask_digits(digits[len(country_code) :])}"
    if digits.startswith("0"):
        return "0" + _mask_digits(digits[1:])
    return _mask_digits(digits)


def mask_email(email: str) -> str:
    """First character, a fixed-length mask, the domain: "an.nguyen@gmail.com" → "a*******@gmail.com"."""
    email = clean_line(email)
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at:
        return email[:1] + EMAIL_MASK
    return f"{local[:1]}{EMAIL_MASK}@{domain}"


def mask_text(text: str) -> str:
    """Addresses and other free text: the first 6 characters and "…" (fewer for short text, so that at most
    half of it shows)."""
    text = clean_line(text)
    if not text:
        return ""
    return text[: min(TEXT_VISIBLE, len(text) // 2)] + "…"
