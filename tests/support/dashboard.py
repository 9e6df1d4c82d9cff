"""The dashboard served for tests: the real routes on a real port, over the harness's database;
and a reader that takes the page's figures back out of its HTML."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from bot.app.dashboard.web import DashboardPages
from bot.app.web.links import SignedLinks
from bot.app.web.server import WebServer
from handlers.dashboard.links import DashboardWarmUp, LinkSigner
from tests.support.harness import Chat, Harness

SECRET = b"dashboard-test-secret"
LINK = re.compile(r"https?://\S+/bangdieukhien/\S+")


@dataclass
class Served:
    """The running server and its address."""

    server: WebServer
    links: SignedLinks
    pages: DashboardPages

    @property
    def base_url(self) -> str:
        return self.links.base_url


@asynccontextmanager
async def dashboard_server(harness: Harness) -> AsyncIterator[Served]:
    """Start the web server with the dashboard routes; /bangdieukhien signs links to it."""
    server = WebServer("127.0.0.1", 0, harness.db)
    links = SignedLinks(
        harness.data_dir / "links", "", SECRET, timedelta(minutes=60), harness.clock
    )
    pages = DashboardPages(
        harness.sessions, links, harness.settings, harness.catalog, harness.clock
    )
    pages.attach(server.app)
    await server.start()
    links.base_url = f"http://127.0.0.1:{server.bound_port}"
    harness.services.provide(links, as_type=LinkSigner)
    harness.services.provide(pages, as_type=DashboardWarmUp)
    try:
        yield Served(server, links, pages)
    finally:
        await server.stop()


async def link_for(chat: Chat) -> str:
    """Ask for a dashboard link in the chat and return it."""
    await chat.say("/bangdieukhien")
    found = LINK.search(chat.text)
    assert found is not None, chat.text
    return found.group(0)


@dataclass
class PageFigures:
    """What the page shows, by `data-*` attributes: status and scorecard rows by unit code."""

    status: dict[str, dict[str, str]] = field(default_factory=dict)
    scorecard: dict[str, dict[str, str]] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)
    flagged_branches: list[str] = field(default_factory=list)
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = PageFigures()
        self.section = ""
        self.unit: str | None = None
        self.figure: str | None = None
        self.buffer = ""
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id") or ""
        if tag == "tr" and a.get("data-unit"):
            self.unit = a["data-unit"]
            table = self.found.status if self.section == "status" else self.found.scorecard
            table[self.unit or ""] = {}
            if self.section == "scorecard":
                table[self.unit or ""]["met"] = a.get("data-met") or ""
                self.found.missed[self.unit or ""] = []
        if tag == "td" and a.get("data-figure") and self.unit:
            self.figure, self.buffer = a["data-figure"], ""
        if tag == "span" and a.get("data-criterion") and self.unit:
            self.found.missed[self.unit].append(a["data-criterion"] or "")
        if tag == "li" and a.get("data-branch"):
            self.found.flagged_branches.append(a["data-branch"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.figure and self.unit:
            table = self.found.status if self.section == "status" else self.found.scorecard
            table[self.unit][self.figure] = self.buffer.strip()
            self.figure = None
        if tag == "tr":
            self.unit = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self.figure:
            self.buffer += data


def read_page(html: str) -> PageFigures:
    """The figures of a dashboard page, as the page shows them."""
    reader = _Reader()
    reader.feed(html)
    reader.found.text = " ".join(" ".join(reader.texts).split())
    return reader.found
