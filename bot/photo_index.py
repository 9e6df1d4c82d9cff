"""Every stored photo's perceptual hashes in memory, scanned in milliseconds; kept in the database.

Why a scan and not an index in SQL: the threshold measured for recompressed, cropped and
framed photos (pHash ≤ 12 bits) is too wide for multi-index hashing to stay small — with four
16-bit chunks a match only guarantees one chunk within 3 bits, so each lookup would probe
~2,800 chunk values and read ~40,000 candidate rows at a million photos. XOR and a popcount
over a million 64-bit hashes take a few milliseconds with numpy instead (bench/photo_lookup.py).

This is a cache, never the only copy: before each lookup it reads, in its own short session,
the committed photos added since the last one (by any process), and every candidate it proposes
is checked again against the database's row by the caller. An id skipped by a refresh (on
PostgreSQL a lower id can commit after a higher one) is asked for again until it shows up or
falls far behind the newest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.media_fingerprint import DHASH_LIMIT, PHASH_LIMIT
from storage.repositories.photo_fingerprints import PhotoFingerprints

#: Skipped ids are asked for again while within this many ids of the newest: far more photos
#: than a deployment has in flight (being stored, not yet committed) at any one moment.
LATE_COMMIT_IDS = 1000

#: Photos scanned at a time: small enough for the temporary arrays to stay in the CPU's cache
#: (a million at once is twice as slow at the 95th percentile).
SCAN_BLOCK = 65_536

#: (after_id, skipped ids) → rows (id, signed phash, signed dhash) committed since.
HashReader = Callable[[int, Sequence[int]], Awaitable[Sequence[tuple[int, int, int]]]]


def database_reader(sessions: async_sessionmaker[AsyncSession]) -> HashReader:
    """Read committed hashes in a session of their own: never another update's uncommitted
    rows, nor the caller's, which a rollback could still take back."""

    async def read(after_id: int, skipped: Sequence[int]) -> Sequence[tuple[int, int, int]]:
        async with sessions() as session:
            return await PhotoFingerprints(session).hashed_since(after_id, skipped)

    return read


class NearDuplicateIndex:
    """The (id, pHash, dHash) of every fingerprinted photo, growing as photos arrive."""

    def __init__(self, read: HashReader) -> None:
        self._read = read
        self._ids = np.empty(0, dtype=np.int64)
        self._phash = np.empty(0, dtype=np.uint64)
        self._dhash = np.empty(0, dtype=np.uint64)
        self._size = 0
        self._top = 0  # the highest id read so far
        self._skipped: set[int] = set()  # ids below the top not seen yet
        self._lock = asyncio.Lock()

    @classmethod
    def over(cls, sessions: async_sessionmaker[AsyncSession]) -> NearDuplicateIndex:
        return cls(database_reader(sessions))

    def __len__(self) -> int:
        return self._size

    async def candidates(self, phash: int, dhash: int) -> list[int]:
        """Ids of stored photos within the matching limits of these hashes (to be confirmed)."""
        await self.refresh()
        return self.near(phash, dhash)

    async def refresh(self) -> None:
        """Read the photos committed since the last refresh (all of them, the first time)."""
        async with self._lock:
            self.absorb(await self._read(self._top, sorted(self._skipped)))

    def near(self, phash: int, dhash: int) -> list[int]:
        """Ids whose hashes are within the limits, by a vectorised scan in cache-sized blocks."""
        found: list[int] = []
        query_p, query_d = np.uint64(phash), np.uint64(dhash)
        for start in range(0, self._size, SCAN_BLOCK):
            stop = min(start + SCAN_BLOCK, self._size)
            close = start + np.flatnonzero(
                np.bitwise_count(self._phash[start:stop] ^ query_p) <= PHASH_LIMIT
            )
            if close.size:
                also = np.bitwise_count(self._dhash[close] ^ query_d) <= DHASH_LIMIT
                found += [int(i) for i in self._ids[close[also]]]
        return found

    def absorb(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Take rows (id, signed phash, signed dhash) not seen before."""
        seen = {row[0] for row in rows}
        top = max(self._top, max(seen, default=0))
        oldest_awaited = top - LATE_COMMIT_IDS
        between = range(max(self._top, oldest_awaited) + 1, top + 1)
        self._skipped = {i for i in self._skipped | set(between) if i > oldest_awaited} - seen
        self._top = top
        if rows:
            self._append(np.array(rows, dtype=np.int64))

    def _append(self, rows: np.ndarray) -> None:
        count = len(rows)
        self._reserve(self._size + count)
        window = slice(self._size, self._size + count)
        self._ids[window] = rows[:, 0]
        self._phash[window] = rows[:, 1].view(np.uint64)
        self._dhash[window] = rows[:, 2].view(np.uint64)
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
