"""Prints the peak memory and time of `chidoan-bot export` (all districts) at several sizes.

Each size is a generated organisation (districts of 1,200 branches, a report per branch, a photo
on every 20th, or every `--photo-every`-th) on SQLite, or on PostgreSQL with --postgres (needs
CHIDOAN_TEST_POSTGRES_URL). The export runs in a child process, so its peak RSS is its own; it
links every photo (a public address and a link secret are configured), as a deployed bot does.

Usage: .venv/bin/python bench/export_memory.py [--sizes 2000,20000] [--photo-every 20] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common.cli_child import PUBLIC_LINKS, run_cli
from storage.db import create_engine
from tests.support import databases
from tests.support.big_org import DistrictSize, seed_big_org


async def seed(url: str, size: int, photo_every: int) -> int:
    """The organisation of `size` branches; returns how many photos it has."""
    db = create_engine(url)
    districts = [
        DistrictSize(f"X{i:03d}", min(1200, size - i * 1200)) for i in range(-(-size // 1200))
    ]
    org = await seed_big_org(db, districts, period="2026-11", photo_every=photo_every)
    await db.dispose()
    return org.photos


def export(url: str, out: Path) -> tuple[int, float, int, str]:
    """(exit code, seconds, peak RSS in KiB, last stderr line) of one export."""
    env = {**os.environ, "CHIDOAN_DATABASE__URL": url, **PUBLIC_LINKS}
    done = run_cli(["export", "--period", "2026-11", "--out", str(out)], env)
    return done.code, done.seconds, done.peak_kib, done.problem


def measure(url: str, size: int, folder: Path, photo_every: int) -> None:
    photos = asyncio.run(seed(url, size, photo_every))
    out = folder / f"export-{size}.xlsx"
    code, took, peak, problem = export(url, out)
    if code != 0:
        print(f"  {size:>7,} branches: FAILED after {took:.1f}s, peak RSS {peak / 1024:.0f} MB:")
        print(f"      {problem[:200]}")
        return
    size_mb = out.stat().st_size / 1024 / 1024
    print(
        f"  {size:>7,} branches, {photos:>7,} linked photos: {took:5.1f}s, "
        f"peak RSS {peak / 1024:4.0f} MB, workbook {size_mb:.1f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000", help="branches, comma-separated")
    parser.add_argument("--photo-every", type=int, default=20, help="a photo on every n-th report")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL instead of SQLite")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if not args.postgres:
            print("SQLite:")
            template = databases.make_sqlite_template(folder)
            for size in sizes:
                (folder / str(size)).mkdir()
                url = databases.sqlite_copy(template, folder / str(size))
                measure(url, size, folder, args.photo_every)
            return
        server = databases.postgres_server_url()
        if not server:
            sys.exit(f"--postgres needs {databases.PG_ENV}")
        print("PostgreSQL:")
        for size in sizes:
            url = databases.create_postgres_database(server)
            try:
                measure(url, size, folder, args.photo_every)
            finally:
                databases.drop_postgres_database(server, url)


if __name__ == "__main__":
    main()
