"""Prints the peak memory and time of `chidoan-bot photos` (a district's month as a zip).

Each size is one generated district whose received reports have a photo each, every photo a file
of `--kib` KiB of incompressible bytes in the media store (as JPEGs are), on SQLite. The archive
is written by a child process, so its peak RSS (VmHWM) is its own. Flat memory means the peak
does not grow with the number of photos.

Usage: .venv/bin/python bench/photo_archive.py [--sizes 500,5000] [--kib 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bench.common.cli_child import run_cli
from bot.media import media_name, media_path
from storage.db import create_engine
from storage.models import Evidence
from tests.support import databases
from tests.support.big_org import DistrictSize, seed_big_org


async def seed(url: str, branches: int, media: Path, kib: int) -> int:
    """A district of `branches` branches, a photo file per received report; photos written."""
    db = create_engine(url)
    await seed_big_org(db, [DistrictSize("ARC", branches)], period="2026-11", photo_every=1)
    async with db.connect() as conn:
        rows = (await conn.execute(select(Evidence.sha256, Evidence.mime))).all()
    await db.dispose()
    for sha256, mime in rows:
        path = media_path(media, media_name(sha256, mime))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(kib * 1024))
    return len(rows)


def archive(url: str, data_dir: Path, out: Path) -> tuple[int, float, int, str]:
    """(exit code, seconds, peak RSS in KiB, last output line) of one archive."""
    env = {**os.environ, "CHIDOAN_DATABASE__URL": url, "CHIDOAN_BOT__DATA_DIR": str(data_dir)}
    done = run_cli(["photos", "--district", "ARC", "--period", "2026-11", "--out", str(out)], env)
    return done.code, done.seconds, done.peak_kib, done.said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,5000", help="branches, comma-separated")
    parser.add_argument("--kib", type=int, default=100, help="size of each photo file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = databases.make_sqlite_template(folder)
        print("SQLite:")
        for size in (int(s) for s in args.sizes.split(",")):
            where = folder / str(size)
            where.mkdir()
            url = databases.sqlite_copy(template, where)
            photos = asyncio.run(seed(url, size, where / "data" / "media", args.kib))
            out = where / "anh.zip"
            code, took, peak, said = archive(url, where / "data", out)
            if code != 0:
                print(f"  {size:>6,} branches: FAILED after {took:.1f}s: {said[:200]}")
                continue
            zipped = out.stat().st_size / 1024 / 1024
            print(
                f"  {photos:>6,} photos of {args.kib} KiB: {took:5.1f}s, "
                f"peak RSS {peak / 1024:4.0f} MB, zip {zipped:,.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
