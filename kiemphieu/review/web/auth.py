"""Passwords, session tokens and CSRF tokens, from the standard library only.

- Passwords: scrypt (n=2**14, r=8, p=1) with a random salt; only the hash is stored. A password handed
  over on paper is one-time: its hash is marked, and the first sign-in with it sets the reviewer's own.
- Sessions: a random cookie; the count stores its SHA-256, so a copied count file signs no one in.
- CSRF: a random token per session, put in every form and checked on every POST, and the
  request's Origin (when the browser sends one) must be this server.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
ROLES = ("admin", "reviewer")
ONE_TIME = "once$"             # marks the hash of a password handed over on paper
MIN_PASSWORD_CHARS = 10        # a reviewer's own password


def new_password() -> str:
    """A one-time password to hand over on paper: 12 characters, no look-alikes (0/O, 1/l/I)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def hash_password(password: str, one_time: bool = False) -> str:
    """The stored form of a password; ``one_time``: it must be replaced at the first sign-in."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return (ONE_TIME if one_time else "") + f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt)}${b64(key)}"


def is_one_time(stored: str) -> bool:
    return stored.startswith(ONE_TIME)


def password_problem(new: str, again: str, stored: str) -> str | None:
    """Why a reviewer's new password cannot be taken (a texts key), or None."""
    if len(new) < MIN_PASSWORD_CHARS:
        return "web_err_password_short"
    if new != again:
        return "web_err_password_differ"
    if check_password(new, stored):
        return "web_err_password_same"
    return None


def check_password(password: str, stored: str) -> bool:
    stored = stored.removeprefix(ONE_TIME)
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(key))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def clean_name(name: str) -> str:
    """A name as stored: NFC (some keyboards send decomposed letters), single spaces, no spaces around."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def folded(name: str) -> str:
    """A name without case and accents ("Lê Thị Hoa" → "le thi hoa"): two names that fold alike look alike."""
    s = unicodedata.normalize("NFD", clean_name(name)).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()


def find_name(names: list[str], typed: str) -> str | None:
    """The one of ``names`` a person typed: the same after NFC, else the only one equal ignoring case,
    else the only one equal ignoring case and accents; None if none or several."""
    typed = clean_name(typed)
    for same in (lambda n: n == typed, lambda n: n.casefold() == typed.casefold(),
                 lambda n: folded(n) == folded(typed)):
        hits = [n for n in names if same(n)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


class NameRefused(ValueError):
    """A reviewer's name that cannot be added (``key`` for texts, its values in ``kw``)."""

    def __init__(self, key: str, **kw: str):
        super().__init__(key)
        self.key, self.kw = key, kw


def reviewer_name(existing: list[str], typed: str, reset: bool = False) -> str:
    """The name to store for a reviewer typed as ``typed`` (NFC, single spaces). With ``reset``: the existing
    reviewer it means. Otherwise refused when empty, taken, or looking like a name already there (the same
    letters ignoring case and accents: two such accounts cannot be told apart at sign-in)."""
    name = clean_name(typed)
    if not name:
        raise NameRefused("web_err_reviewer_name")
    if reset:
        return find_name(existing, name) or name
    if name in existing:
        raise NameRefused("reviewer_exists", name=name)
    twin = next((n for n in existing if folded(n) == folded(name)), None)
    if twin is not None:
        raise NameRefused("reviewer_look_alike", name=name, other=twin)
    return name
