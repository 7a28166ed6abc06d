"""The time written into a count: local time with its UTC offset, to the second."""
from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
