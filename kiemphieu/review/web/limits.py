"""How many wrong passwords a name and an address may try: a sliding window per key, kept in memory.

A name (folded: case and accents do not give more tries) and the address it comes from each have
their own allowance; when either is spent, sign-in is refused without checking the password until
the oldest failure leaves the window. The server process holds the counts; a restart forgets them.
"""
from __future__ import annotations

import collections
import dataclasses
import threading
import time
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Limit:
    failures: int          # wrong passwords allowed within the window
    window_s: float        # seconds


class Attempts:
    def __init__(self, limits: dict[str, Limit], clock: Callable[[], float] = time.monotonic):
        self.limits, self.clock = limits, clock
        self._failed: dict[tuple[str, str], collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, kind: str, key: str, now: float) -> collections.deque[float]:
        q = self._failed.setdefault((kind, key), collections.deque())
        while q and q[0] <= now - self.limits[kind].window_s:
            q.popleft()
        return q

    def wait(self, keys: dict[str, str]) -> float:
        """Seconds until ``keys`` ({kind: key}) may try again; 0 if they may now."""
        now = self.clock()
        with self._lock:
            out = 0.0
            for kind, key in keys.items():
                q, limit = self._recent(kind, key, now), self.limits[kind]
                if len(q) >= limit.failures:
                    out = max(out, q[len(q) - limit.failures] + limit.window_s - now)
            return out

    def failed(self, keys: dict[str, str]) -> None:
        now = self.clock()
        with self._lock:
            for kind, key in keys.items():
                self._recent(kind, key, now).append(now)

    def succeeded(self, keys: dict[str, str], kind: str = "name") -> None:
        """A right password clears the failures of its name (not of its address)."""
        with self._lock:
            self._failed.pop((kind, keys[kind]), None)
