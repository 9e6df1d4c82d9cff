"""A fake channel for flow tests: drive the real engine as a chat user would, and read replies."""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.assembly import media_store
from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.engine.engine import Engine
from bot.engine.router import Router
from bot.engine.services import Services
from bot.engine.types import Incoming, InKind, Photo, Reply
from bot.orgfile import read_org_file
from bot.photo_index import NearDuplicateIndex
from handlers import ROUTERS
from handlers.invites import create_invite, display_code, find_place
from handlers.organisation import apply_org
from handlers.reports.form import catalog_for
from storage.db import create_engine, session_factory
from storage.models import Role
from storage.uow import UnitOfWork

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
LOCAL_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLE_ORG = LOCAL_FIXTURES / "org-sample.csv"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args: int) -> datetime:
    """A moment in Vietnam's time, e.g. local(2026, 11, 10, 9, 0)."""
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


_updates = itertools.count(1)


@dataclass
class Chat:
    """One chat user talking to the engine; remembers every reply."""

    harness: Harness
    user_id: str
    name: str
    channel: str = "fake"
    language_hint: str | None = None
    transcript: list[tuple[str, Reply | str]] = field(default_factory=list)
    last: list[Reply] = field(default_factory=list)

    async def _send(self, incoming: Incoming) -> list[Reply]:
        self.last = await self.harness.engine.handle(incoming)
        self.transcript.extend(("bot", r) for r in self.last)
        return self.last

    def _base(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "chat_id": self.user_id,
            "user_id": self.user_id,
            "display_name": self.name,
            "language_hint": self.language_hint,
            "update_id": str(next(_updates)),
        }

    async def say(self, text: str) -> list[Reply]:
        self.transcript.append(("user", text))
        return await self._send(Incoming(kind=InKind.TEXT, text=text, **self._base()))

    async def press(self, which: int | str) -> list[Reply]:
        """Press a button of the latest reply that has any: by 1-based index or label."""
        offered = next((r for r in reversed(self.last) if r.choices), None)
        assert offered is not None, f"no choices offered; last replies: {self.texts}"
        if isinstance(which, int):
            choice = offered.choices[which - 1]
        else:
            matches = [c for c in offered.choices if c.label == which]
            assert matches, f"no button {which!r} in {[c.label for c in offered.choices]}"
            choice = matches[0]
        self.transcript.append(("user", f"[{choice.label}]"))
        return await self._send(
            Incoming(kind=InKind.CHOICE, payload=choice.payload, **self._base())
        )

    async def photo(
        self, data: bytes | None, caption: str = "", problem: str | None = None
    ) -> list[Reply]:
        self.transcript.append(("user", f"[photo {len(data or b'')} bytes]"))
        return await self._send(
            Incoming(kind=InKind.PHOTO, photo=Photo(data, problem), text=caption, **self._base())
        )

    async def sticker(self) -> list[Reply]:
        return await self._send(Incoming(kind=InKind.UNSUPPORTED, **self._base()))

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.last]

    @property
    def text(self) -> str:
        """All texts of the latest replies, joined."""
        return "\n".join(self.texts)

    def said(self, key: str, /, **values: object) -> bool:
        """Whether the latest replies hold the catalog message `key` in the chat's language
        (Vietnamese unless hinted): the message is the point, not its wording. Placeholders
        not given match any text."""
        locale = (self.language_hint or "vi")[:2]
        template = self.harness.catalog.messages[locale].get(key)
        template = template or self.harness.catalog.messages["vi"][key]
        pattern = ""
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            pattern += re.escape(literal)
            if name is not None:
                given = values.get(name)
                pattern += re.escape(str(given)) if given is not None else ".*?"
        return re.search(pattern, self.text, re.S) is not None

    @property
    def choices(self) -> list[str]:
        offered = next((r for r in reversed(self.last) if r.choices), None)
        return [c.label for c in offered.choices] if offered else []


class Harness:
    """The real engine over a real database, with a manual clock and no chat platform."""

    def __init__(self, url: str, data_dir: Path, *, now: datetime | None = None, **overrides: Any):
        self.url = url
        self.data_dir = data_dir
        self.overrides = overrides
        self.clock = ManualClock(now or local(2026, 11, 10, 9, 0))
        self.settings: Settings = load_settings(
            database={"url": url}, bot={"data_dir": str(data_dir)}, **overrides
        )
        self.catalog = catalog_for(self.settings)
        self._build()

    def _build(self, routers: Iterable[Router] = ROUTERS) -> None:
        self.db = create_engine(self.url)
        self.sessions = session_factory(self.db)
        self.services = Services(
            self.settings, media_store(self.settings), NearDuplicateIndex.over(self.sessions)
        )
        self.engine = Engine(
            settings=self.settings,
            sessions=self.sessions,
            routers=routers,
            clock=self.clock,
            catalog=self.catalog,
            services=self.services,
        )

    async def restart(self) -> None:
        """Throw away everything in memory, as a process restart would; keep the database."""
        await self.db.dispose()
        self._build()

    async def close(self) -> None:
        await self.db.dispose()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def chat(self, user_id: str = "u1", name: str = "Lan", **kwargs: Any) -> Chat:
        return Chat(self, user_id, name, **kwargs)

    async def import_org(self, path: Path = SAMPLE_ORG) -> None:
        rows = read_org_file(path)
        async with self.uow() as uow:
            await apply_org(uow, rows)

    async def invite(self, role: Role = Role.SECRETARY, code: str = "PH-TL-01") -> str:
        async with self.uow() as uow:
            place = await find_place(uow, role, code)
            invite = await create_invite(
                uow, role=role, place=place, now=self.clock.now(), ttl_days=14
            )
            return display_code(invite.code)

    async def registered(
        self, user_id: str = "u1", role: Role = Role.SECRETARY, code: str = "PH-TL-01", **kw: Any
    ) -> Chat:
        """A chat already registered with `role` over `code` (the org must be imported)."""
        chat = self.chat(user_id, **kw)
        await chat.say(f"/start {await self.invite(role, code)}")
        return chat
