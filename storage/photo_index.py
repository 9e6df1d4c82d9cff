"""Every stored photo's perceptual hashes in memory, scanned in milliseconds; kept in the database.

Why a scan and not an index in SQL: the threshold measured for recompressed, cropped and
framed photos (pHash ≤ 12 bits) is too wide for multi-index hashing to stay small — with four
16-bit chunks a match only guarantees one chunk within 3 bits, so each lookup would probe
~2,800 chunk values and read ~40,000 candidate rows at a million photos. XOR and a popcount
over a million 64-bit hashes take 2–5 ms with numpy instead (bench/photo_lookup.py).

This is a cache, never the only copy: each lookup first reads from the database the photos
added since the last one (by any process), and every candidate it proposes is checked again
against the database's own row by the caller. Ids near the top are read again on every
refresh, because on PostgreSQL a lower id can commit after a higher one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np

from bot.media_fingerprint import DHASH_LIMIT, PHASH_LIMIT
from storage.repositories.photo_fingerprints import PhotoFingerprints

#: How many of the newest ids are read again on each refresh (transactions still open when
#: the last refresh ran); far above the photos a deployment stores at any one moment.
REREAD_IDS = 1000


class NearDuplicateIndex:
    """The (id, pHash, dHash) of every fingerprinted photo, growing as photos arrive."""

    def __init__(self) -> None:
        self._ids = np.empty(0, dtype=np.int64)
        self._phash = np.empty(0, dtype=np.uint64)
        self._dhash = np.empty(0, dtype=np.uint64)
        self._size = 0
        self._top = 0  # the highest id read so far
        self._recent: dict[int, int] = {}  # id → position, for ids the next refresh reads again
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return self._size

    async def candidates(self, repo: PhotoFingerprints, phash: int, dhash: int) -> list[int]:
        """Ids of stored photos within the matching limits of these hashes (to be confirmed)."""
        await self.refresh(repo)
        return self.near(phash, dhash)

    async def refresh(self, repo: PhotoFingerprints) -> None:
        """Read the photos stored since the last refresh (all of them, the first time)."""
        async with self._lock:
            self.absorb(await repo.hashed_since(max(0, self._top - REREAD_IDS)))

    def near(self, phash: int, dhash: int) -> list[int]:
        """Ids whose hashes are within the limits, by a vectorised scan."""
        n = self._size
        close = np.flatnonzero(np.bitwise_count(self._phash[:n] ^ np.uint64(phash)) <= PHASH_LIMIT)
        if close.size == 0:
            return []
        also = np.bitwise_count(self._dhash[close] ^ np.uint64(dhash)) <= DHASH_LIMIT
        return [int(i) for i in self._ids[close[also]]]

    def absorb(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Take rows (id, signed phash, signed dhash): new ones appended, known ones updated."""
        top = max(self._top, max((r[0] for r in rows), default=0))
        reread_above = top - REREAD_IDS
        fresh = []
        for row in rows:
            position = self._recent.get(row[0])
            if position is None:
                fresh.append(row)
            else:  # read again: the value may have changed (a rolled-back id reused on SQLite)
                self._phash[position], self._dhash[position] = _unsigned(row[1:])
        self._recent = {i: p for i, p in self._recent.items() if i > reread_above}
        if fresh:
            self._append(np.array(fresh, dtype=np.int64), reread_above)
        self._top = top

    def _append(self, rows: np.ndarray, reread_above: int) -> None:
        count = len(rows)
        self._reserve(self._size + count)
        window = slice(self._size, self._size + count)
        self._ids[window] = rows[:, 0]
        self._phash[window] = rows[:, 1].view(np.uint64)
        self._dhash[window] = rows[:, 2].view(np.uint64)
        for offset in np.flatnonzero(rows[:, 0] > reread_above):
            self._recent[int(rows[offset, 0])] = self._size + int(offset)
        self._size += count

    def _reserve(self, needed: int) -> None:
        """Grow the arrays by doubling, so a million single appends stay cheap."""
        if needed <= len(self._ids):
            return
        capacity = max(needed, 2 * len(self._ids), 1024)
        for name in ("_ids", "_phash", "_dhash"):
            old = getattr(self, name)
            grown = np.empty(capacity, dtype=old.dtype)
            grown[: self._size] = old[: self._size]
            setattr(self, name, grown)


def _unsigned(values: Sequence[int]) -> tuple[np.uint64, np.uint64]:
    signed = np.array(values, dtype=np.int64).view(np.uint64)
    return signed[0], signed[1]
