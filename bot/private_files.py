"""Files only the bot's own user can read: folders 0700, files 0600, whatever the umask.

The data folder holds the database, photos and workbooks with the names of young people in
difficulty; under the usual umask 022 everything would be readable by every account on the
machine.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings

log = logging.getLogger(__name__)

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def private_dir(path: Path) -> Path:
    """Create the folder (and its parents) if needed; the folder itself ends up 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR:
        try:
            os.chmod(path, PRIVATE_DIR)
        except PermissionError:
            log.warning("cannot make %s private (owned by another user)", path)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a file readable by this user only (an existing file is made 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)


def data_paths(settings: Settings) -> list[Path]:
    """Where the bot writes: the data folder, and a SQLite database's folder when elsewhere."""
    paths = [settings.bot.data_dir]
    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).expanduser().parent
        if folder.resolve() != settings.bot.data_dir.resolve():
            paths.append(folder)
    return paths
