"""HTTPS for ``kiemphieu serve``: a self-signed certificate made on first use, kept beside the count.

Made with the ``openssl`` command (Debian's openssl package); a committee with its own certificate
gives it with ``--cert`` and ``--key`` instead. The certificate's SHA-256 fingerprint is printed so that
reviewers can compare it with what the browser shows before they accept it.
"""
from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

VALID_DAYS = 825             # the longest validity browsers accept for a certificate


class TlsError(Exception):
    """The certificate cannot be made (a texts key in ``key``, its values in ``kw``)."""

    def __init__(self, key: str, **kw):
        super().__init__(key)
        self.key, self.kw = key, kw


def is_local(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (no password crosses a network)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def paths(count: Path) -> tuple[Path, Path]:
    return Path(f"{count}.https-cert.pem"), Path(f"{count}.https-key.pem")


def _addresses(host: str) -> list[str]:
    """What the certificate names: localhost, this machine and the address it serves on."""
    names = {"DNS:localhost", "IP:127.0.0.1", f"DNS:{socket.gethostname()}"}
    ips = {host} if host not in ("0.0.0.0", "::") else set()
    with contextlib.suppress(OSError):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:   # the address other machines reach
            s.connect(("192.0.2.1", 9))                                 # (no packet is sent)
            ips.add(s.getsockname()[0])
    for ip in ips:
        try:
            names.add(f"IP:{ipaddress.ip_address(ip)}")
        except ValueError:
            names.add(f"DNS:{ip}")
    return sorted(names)


def self_signed(count: Path, host: str) -> tuple[Path, Path, bool]:
    """The certificate and key beside ``count`` (made now if missing); whether they were made now."""
    cert, key = paths(count)
    if cert.is_file() and key.is_file():
        return cert, key, False
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TlsError("tls_no_openssl")
    cmd = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", str(VALID_DAYS),
           "-subj", "/CN=kiemphieu", "-keyout", str(key), "-out", str(cert),
           "-addext", "subjectAltName=" + ",".join(_addresses(host))]
    old = os.umask(0o077)                   # the key readable by its owner only
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as ex:
        raise TlsError("tls_failed", error=str(ex)) from None
    finally:
        os.umask(old)
    if done.returncode != 0:
        for p in (cert, key):
            p.unlink(missing_ok=True)
        raise TlsError("tls_failed", error=done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "")
    return cert, key, True


def fingerprint(cert: Path) -> str:
    """SHA-256 of the certificate, as browsers show it: "AB:CD:…"."""
    der = ssl.PEM_cert_to_DER_cert(cert.read_text(encoding="ascii"))
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
