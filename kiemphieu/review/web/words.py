"""Codes the pages show, in words of the current language (``texts``); an unknown code as it is."""
from __future__ import annotations

from ... import texts


def _known(key: str, default: str) -> str:
    return texts.t(key) if key in texts.TEXTS else default


def status_text(status: str) -> str:
    return _known("status_" + status, status)


def state_text(state: str) -> str:
    return _known("web_state_" + state, state)


def why_text(why: str) -> str:
    return _known("why_" + why, why)
