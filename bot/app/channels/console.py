"""The console channel: talk to the bot in a terminal, or script it through standard input."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from typing import TextIO

from bot.app.channels.base import Channel, HandleIncoming
from bot.app.channels.render import numbered_text
from bot.engine.types import Incoming, InKind, NotStored, Photo, Reply
from bot.private_files import private_dir, write_private

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".bmp"}


def _as_photo_path(line: str) -> Path | None:
    """A line naming an existing image file is a photo being sent."""
    candidate = Path(line.strip().strip("'\"")).expanduser()
    if candidate.suffix.lower() in PHOTO_SUFFIXES and candidate.is_file():
        return candidate
    return None


class ConsoleChannel(Channel):
    """One chat user at a terminal; replies are printed, files are saved under `out_dir`."""

    name = "console"

    def __init__(
        self,
        handle: HandleIncoming,
        *,
        user_id: str,
        display_name: str,
        out_dir: Path,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        max_photo_bytes: int = 10 * 1024 * 1024,
        not_stored: str = "",
    ) -> None:
        self.handle = handle
        self.user_id = user_id
        self.display_name = display_name
        self.out_dir = out_dir
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.max_photo_bytes = max_photo_bytes
        self.not_stored = not_stored
        self.finished = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._read_loop(), name="console-reader")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _interactive(self) -> bool:
        return self.stdin.isatty()

    def _pump(self, loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str]) -> None:
        """Read standard input on a daemon thread. A thread blocked in readline cannot be
        stopped, and asyncio's default executor would wait for it at exit, so Ctrl-C would
        only quit once Enter was pressed; a daemon thread is simply left behind."""
        try:
            for line in iter(self.stdin.readline, ""):
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, "")
        except (RuntimeError, ValueError, OSError):
            return  # the loop has closed, or standard input has

    async def _read_loop(self) -> None:
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str] = asyncio.Queue()
        reader = threading.Thread(
            target=self._pump, args=(loop, lines), name="console-stdin", daemon=True
        )
        reader.start()
        try:
            while True:
                if self._interactive():
                    self.stdout.write("> ")
                    self.stdout.flush()
                line = await lines.get()
                if not line:
                    break
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                if not self._interactive():
                    self.stdout.write(f"> {line}\n")
                try:
                    replies = await self.handle(self._incoming(line))
                except NotStored:
                    # Nobody will deliver a terminal line again: say so, the person retypes it.
                    replies = [Reply(text=self.not_stored or "…")]
                for reply in replies:
                    await self.send(self.user_id, reply)
        finally:
            self.finished.set()

    def _incoming(self, line: str) -> Incoming:
        path = _as_photo_path(line)
        if path is None:
            return self._make(InKind.TEXT, text=line)
        if path.stat().st_size > self.max_photo_bytes:
            return self._make(InKind.PHOTO, photo=Photo(None, "too_large"))
        return self._make(InKind.PHOTO, photo=Photo(path.read_bytes()))

    def _make(self, kind: InKind, *, text: str = "", photo: Photo | None = None) -> Incoming:
        return Incoming(
            channel=self.name,
            chat_id=self.user_id,
            user_id=self.user_id,
            display_name=self.display_name,
            kind=kind,
            text=text,
            photo=photo,
        )

    def _save(self, filename: str, data: bytes) -> str:
        """Keep a file the bot sent under `out_dir` (readable by this user only); its line."""
        private_dir(self.out_dir)
        target = self.out_dir / filename
        write_private(target, data)
        return f"< [{filename} → {target}]"

    async def send(self, chat_id: str, reply: Reply) -> None:
        out = [f"< {line}" for line in numbered_text(reply).split("\n")]
        if chat_id != self.user_id:
            # The outbox reaches every console identity; only one person sits at this terminal.
            out.insert(0, f"[message for console user {chat_id!r}, not for you]")
        for attachment in (reply.photo, reply.document):
            if attachment is not None:
                out.append(self._save(attachment.filename, attachment.data))
        for photo in reply.album:
            # One photo in memory at a time, however long the album.
            out.append(self._save(photo.filename, photo.path.read_bytes()))
        self.stdout.write("\n".join(out) + "\n")
        self.stdout.flush()
