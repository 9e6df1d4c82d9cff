"""Signed, expiring links to files our web server serves: charts and exports for chat platforms
(copied under `links/`, deleted when they expire) and kept photos (served from the media store,
never copied), all signed by this one signer with `web.link_secret`."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import mimetypes
import re
import secrets
import shutil
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.engine.textnorm import strip_diacritics
from bot.logsafety import describe
from bot.media import media_name, media_path, mime_of
from bot.private_files import private_dir, write_private
from storage.repositories.audit import AuditRepository
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app.web.server import WebServer
    from bot.config import Settings

log = logging.getLogger(__name__)

ROUTE = "/files/{token}"
PHOTO_ROUTE = "/photos/{token}"
# Only the form `publish` writes: no leading zero, nothing after the signature (`$` would let
# a trailing newline through), so one file has exactly one link.
_TOKEN = re.compile(
    r"(?P<file_id>[0-9a-f]{32})\.(?P<expires>[1-9][0-9]{0,11})\.(?P<sig>[A-Za-z0-9_-]{43})"
)
# A kept photo's link: its name in the media store, then expiry and signature, in this form only.
_PHOTO_TOKEN = re.compile(
    r"(?P<name>[0-9a-f]{64}\.[a-z]{3,4})\.(?P<expires>[1-9][0-9]{0,11})\.(?P<sig>[A-Za-z0-9_-]{43})"
)
#: What a photo's response may do in a browser: be shown, nothing else.
PHOTO_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
#: Marks a link's folder whose file holds personal data: every download is audited.
SENSITIVE_MARK = ".sensitive"
#: How often expired links' files are deleted (seconds).
SWEEP_SECONDS = 60.0
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


#: Writes one download of a sensitive file (its path, the downloader's address) to the audit log.
AuditDownload = Callable[[Path, str], Awaitable[None]]


class LinkRefused(Exception):
    """A token that does not open a file: `status` 403 (forged, expired) or 404 (unknown)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def safe_filename(name: str) -> str:
    """A file name safe on disk and in a header: 'Báo cáo 11/2026.xlsx' → 'Bao-cao-11-2026.xlsx'."""
    cleaned = _UNSAFE.sub("-", strip_diacritics(name)).strip("-.")
    return cleaned[:100] or "file"


class SignedLinks:
    """Writes files under `root` and hands out `{base}/files/{id}.{expiry}.{hmac}` links to them."""

    def __init__(
        self,
        root: Path,
        base_url: str,
        secret: bytes,
        ttl: timedelta,
        clock: Clock,
        *,
        media_root: Path | None = None,
    ) -> None:
        if not secret:
            raise ValueError("a link secret is required")
        self.root = root
        #: The media store's folder, whose photos `photo_link` links to (None: no photo links).
        self.media_root = media_root
        self.base_url = base_url.rstrip("/")
        self._secret = secret
        self.ttl = ttl
        self.clock = clock
        #: Records a download of a sensitive file (the app writes it to the audit log).
        self.audit: AuditDownload | None = None

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> SignedLinks:
        """Configured from `[web]`; without link_secret, a random one that dies with the process."""
        web_settings = settings.web
        secret = web_settings.link_secret.get_secret_value().encode()
        if not secret:
            log.warning("web.link_secret is not set: file links stop working after a restart")
            secret = secrets.token_bytes(32)
        return cls(
            settings.bot.data_dir / "links",
            web_settings.public_base_url,
            secret,
            timedelta(minutes=web_settings.link_ttl_minutes),
            clock,
            media_root=settings.bot.data_dir / "media",
        )

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def signature(self, file_id: str, expires: int) -> str:
        """HMAC-SHA256 over the file id and expiry, URL-safe base64 without padding."""
        mac = hmac.new(self._secret, f"{file_id}.{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def _folder(self, file_id: str, expires: int) -> Path:
        return self.root / f"{expires}-{file_id}"

    def publish(self, data: bytes, filename: str, *, sensitive: bool = False) -> str:
        """Store the bytes (readable by this user only) and return a link valid for `ttl`.

        Expired files are swept first. A `sensitive` file's downloads are audited.
        """
        self.purge_expired()
        expires = self._now() + int(self.ttl.total_seconds())
        file_id = secrets.token_hex(16)
        private_dir(self.root)
        folder = private_dir(self._folder(file_id, expires))
        if sensitive:
            write_private(folder / SENSITIVE_MARK, b"")
        write_private(folder / safe_filename(filename), data)
        token = f"{file_id}.{expires}.{self.signature(file_id, expires)}"
        return f"{self.base_url}/files/{token}"

    def resolve(self, token: str) -> Path:
        """The file a token opens; raises `LinkRefused`."""
        match = _TOKEN.fullmatch(token)
        if match is None:
            raise LinkRefused(404, "not a file link")
        file_id, expires = match["file_id"], int(match["expires"])
        if not hmac.compare_digest(match["sig"], self.signature(file_id, expires)):
            raise LinkRefused(403, "bad signature")
        if expires < self._now():
            raise LinkRefused(403, "link expired")
        folder = self._folder(file_id, expires)
        files = (
            sorted(p for p in folder.iterdir() if p.is_file() and p.name != SENSITIVE_MARK)
            if folder.is_dir()
            else []
        )
        if not files:
            raise LinkRefused(404, "file gone")
        return files[0]

    def photo_link(self, sha256: str, mime: str, ttl: timedelta | None = None) -> str:
        """A link to a kept photo, valid `ttl` (default the chat links' `ttl`): the file stays
        where the media store keeps it; the signature covers its name and the expiry."""
        name = media_name(sha256, mime)
        expires = self._now() + int((ttl or self.ttl).total_seconds())
        return f"{self.base_url}/photos/{name}.{expires}.{self._photo_signature(name, expires)}"

    def _photo_signature(self, name: str, expires: int) -> str:
        # Its own subject: a photo's token can never pass for a file's or a dashboard's.
        return self.signature(f"photo:{name}", expires)

    def resolve_photo(self, token: str) -> Path:
        """The kept photo a token opens; raises `LinkRefused`."""
        match = _PHOTO_TOKEN.fullmatch(token)
        if match is None or self.media_root is None:
            raise LinkRefused(404, "not a photo link")
        name, expires = match["name"], int(match["expires"])
        if not hmac.compare_digest(match["sig"], self._photo_signature(name, expires)):
            raise LinkRefused(403, "bad signature")
        if expires < self._now():
            raise LinkRefused(403, "link expired")
        path = media_path(self.media_root, name)
        if not path.is_file():
            raise LinkRefused(404, "photo gone")
        return path

    async def handle_photo(self, request: web.Request) -> web.StreamResponse:
        """`GET /photos/{token}`: the photo, shown inline, or 403/404 with a one-line reason."""
        try:
            path = self.resolve_photo(request.match_info["token"])
        except LinkRefused as exc:
            return web.Response(status=exc.status, text=exc.reason)
        headers = {
            **PHOTO_HEADERS,
            "Content-Type": mime_of(path.name),
            "Content-Disposition": f"inline; filename={path.name}",
        }
        return web.FileResponse(path, headers=headers)

    def purge_expired(self) -> int:
        """Delete the folders of links that have expired; returns how many."""
        if not self.root.is_dir():
            return 0
        now, removed = self._now(), 0
        for folder in self.root.iterdir():
            stamp, _, _rest = folder.name.partition("-")
            if folder.is_dir() and stamp.isdigit() and int(stamp) < now:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """`GET /files/{token}`: the file, or 403/404 with a one-line reason."""
        try:
            path = self.resolve(request.match_info["token"])
        except LinkRefused as exc:
            return web.Response(status=exc.status, text=exc.reason)
        if (path.parent / SENSITIVE_MARK).exists():
            if self.audit is None:
                log.error("no audit log for a download of %s: refused", path.name)
                return web.Response(status=503, text="audit unavailable")
            try:
                await self.audit(path, request.remote or "")
            except Exception as exc:
                # A download of names that cannot be recorded does not happen.
                log.error("download of %s not audited (%s): refused", path.name, describe(exc))
                return web.Response(status=503, text="audit unavailable")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        disposition = "inline" if mime.startswith("image/") else "attachment"
        headers = {
            "Content-Type": mime,
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(path.name)}",
            "Cache-Control": "private, no-store",
        }
        return web.FileResponse(path, headers=headers)

    def attach(self, server: WebServer) -> None:
        server.add_route("GET", ROUTE, self.handle)
        server.add_route("GET", PHOTO_ROUTE, self.handle_photo)


class LinkSweeper:
    """Deletes the files of expired links at start and every `SWEEP_SECONDS` after.

    A workbook with names must not outlive its link on disk until someone's next export.
    """

    def __init__(self, links: SignedLinks, every: float = SWEEP_SECONDS) -> None:
        self.links = links
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def sweep(self) -> int:
        removed = self.links.purge_expired()
        if removed:
            log.info("deleted the files of %s expired link(s)", removed)
        return removed

    def _sweep_safely(self) -> None:
        try:
            self.sweep()
        except OSError as exc:
            log.warning("expired links not swept: %s", describe(exc))

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self._sweep_safely()

    async def start(self) -> None:
        self._sweep_safely()  # what expired while the bot was down goes at once
        self._task = asyncio.create_task(self._loop(), name="link-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def audit_download(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, path: Path, remote: str
) -> None:
    """One audit entry per download of a workbook with names through a signed link."""
    link_id = path.parent.name.partition("-")[2]
    async with UnitOfWork(sessions) as uow:
        uow.get(AuditRepository).record(
            at=clock.now(),
            person_id=None,
            action="download_youth_export",
            subject=f"link:{link_id}",
            detail={"file": path.name, "remote": remote},
        )
