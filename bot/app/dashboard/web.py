"""The district dashboard's routes on the bot's web server: the page, its chart and its stylesheet.

Read-only; every response that carries figures is `Cache-Control: no-store, private`, so neither
a proxy nor the browser keeps a copy; a link that does not open the page gets the same 403
whatever the reason (forged, expired, revoked, another district, no longer a leader).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import LOCALES, Catalog, Formatter
from handlers.dashboard.links import PATH, DashboardRefused, LinkSigner, OpenedLink, open_link
from handlers.dashboard.view import DashboardView, build_view
from handlers.digest.compute import build_digest
from handlers.digest.due import render_chart
from handlers.reports.calendar import reporting_period
from handlers.scorecard.cache import ScorecardCache
from handlers.scorecard.compute import default_year, year_range
from handlers.scorecard.render import fmt_score
from storage.repositories.dashboard import DashboardLinkRepository
from storage.repositories.org import OrgRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

TEMPLATES = web.AppKey("dashboard_templates", jinja2.Environment)
ASSETS = "/dashboard-assets"
STYLESHEET = "dashboard.css"
TEMPLATE = "dashboard.html"
#: Nothing with figures is kept by a proxy or the browser; no page of ours is framed or indexed.
PRIVATE = {
    "Cache-Control": "no-store, private, max-age=0",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # No script at all; styles and images from this server only.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}
STATUS_COLUMNS = ("expected", "on_time", "late", "missing", "returned", "flagged")
WARN_COLUMNS = ("late", "missing", "returned", "flagged")


def _import_charting() -> None:
    """matplotlib's import (about a second) paid at start, not by the first chart."""
    import matplotlib.figure  # noqa: F401


def _static_dir() -> Path:
    return Path(str(resources.files("bot.app.dashboard").joinpath("static")))


class DashboardPages:
    """Serves the page for a signed link; figures are computed on each request.

    What a first request would pay alone is paid ahead: the template is compiled when the routes
    are attached; when the server starts, the year's scorecard of every district someone holds
    a live link to is computed in the background, as is a district's when its link is sent
    (`warm`), and matplotlib is imported off the event loop for the first chart.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        signer: LinkSigner,
        settings: Settings,
        catalog: Catalog,
        clock: Clock,
    ) -> None:
        self.sessions, self.signer = sessions, signer
        self.settings, self.catalog, self.clock = settings, catalog, clock
        self.scorecards = ScorecardCache(on_stale=self.warm)
        self._warming: set[asyncio.Task[None]] = set()
        self._warming_districts: set[int] = set()

    def attach(self, app: web.Application) -> None:
        """Add the routes and the template environment to the server's application."""
        env = aiohttp_jinja2.setup(
            app,
            app_key=TEMPLATES,
            loader=jinja2.PackageLoader("bot.app.dashboard", "templates"),
            default_helpers=False,
            undefined=jinja2.StrictUndefined,
        )
        env.get_template(TEMPLATE)  # compiled now, not on the first request
        app.on_startup.append(self._warm_at_start)
        app.on_cleanup.append(self._stop_warming)
        app.router.add_get(f"{ASSETS}/{{name}}", self.asset)
        app.router.add_get(f"{PATH}/{{district}}/{{token}}", self.page)
        app.router.add_get(f"{PATH}/{{district}}/{{token}}/chart.png", self.chart)

    async def warmed(self) -> None:
        """Until every warm-up started so far is done."""
        while self._warming:
            await asyncio.gather(*self._warming, return_exceptions=True)

    def warm(self, district_id: int) -> None:
        """Compute the district's scorecard in the background (a link to it was just sent, or
        the one shown is out of date); once at a time per district."""
        if district_id not in self._warming_districts:
            self._spawn(self._warm_districts([district_id]))

    async def _warm_at_start(self, _app: web.Application) -> None:
        self._spawn(self._warm_live())

    async def _warm_live(self) -> None:
        await asyncio.to_thread(_import_charting)
        async with UnitOfWork(self.sessions) as uow:
            live = await uow.get(DashboardLinkRepository).districts_with_live_links(
                self.clock.now()
            )
        await self._warm_districts(live)

    async def _warm_districts(self, district_ids: list[int]) -> None:
        now = self.clock.now()
        first, last = year_range(default_year(now, self.settings))
        for district_id in district_ids:
            self._warming_districts.add(district_id)
            try:
                async with UnitOfWork(self.sessions) as uow:
                    district = await uow.get(OrgRepository).district(district_id)
                    if district is not None:
                        await self.scorecards.scorecard(
                            uow, district, first, last, now, self.settings, fresh=True
                        )
            except Exception:  # a warm-up is an optimisation: the page computes it anyway
                log.exception("warming the dashboard of district %s failed", district_id)
            finally:
                self._warming_districts.discard(district_id)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    async def _stop_warming(self, _app: web.Application) -> None:
        for task in list(self._warming):
            task.cancel()
        await asyncio.gather(*self._warming, return_exceptions=True)

    async def _open(self, uow: UnitOfWork, request: web.Request) -> OpenedLink:
        info = request.match_info
        return await open_link(uow, self.signer, info["district"], info["token"], self.clock.now())

    def refused(self, request: web.Request, reason: str) -> web.Response:
        """403 with a line in Vietnamese and one in English; the reason only goes to the log."""
        log.info("dashboard link refused (%s) from %s", reason, request.remote)
        text = "\n".join(self.catalog.t(lang, "dashboard.refused") for lang in LOCALES)
        return web.Response(status=403, text=text, headers=PRIVATE)

    def _locale(self, request: web.Request, opened: OpenedLink) -> str:
        asked = request.query.get("lang", "")
        return asked if asked in LOCALES else opened.locale if opened.locale in LOCALES else "vi"

    async def page(self, request: web.Request) -> web.StreamResponse:
        """`GET /bangdieukhien/{district}/{token}`: the page, or 403."""
        now = self.clock.now()
        async with UnitOfWork(self.sessions) as uow:
            try:
                opened = await self._open(uow, request)
            except DashboardRefused as exc:
                return self.refused(request, exc.reason)
            locale = self._locale(request, opened)
            view = await build_view(
                uow, opened.district, now, self.settings, self.catalog, locale, self.scorecards
            )
        context = self._context(request, view, opened, locale, now)
        response = aiohttp_jinja2.render_template(TEMPLATE, request, context, app_key=TEMPLATES)
        response.headers.update(PRIVATE)
        return response

    def _context(
        self,
        request: web.Request,
        view: DashboardView,
        opened: OpenedLink,
        locale: str,
        now: datetime,
    ) -> dict[str, Any]:
        f = Formatter(self.catalog, locale, self.settings.bot.timezone)
        return {
            "t": f.t,
            "locale": locale,
            "other_locale": "en" if locale == "vi" else "vi",
            "view": view,
            "num": f.number,
            "pct": f.percent,
            "score": lambda value: fmt_score(value, locale),
            "period_label": f.month,
            "updated": f.moment(now),
            "until": f.moment(opened.expires_at),
            "deadline": f.moment(view.table.deadline),
            "status_columns": STATUS_COLUMNS,
            "warn_columns": WARN_COLUMNS,
            "css_url": f"{ASSETS}/{STYLESHEET}",
            "chart_url": f"{request.path}/chart.png?lang={locale}",
        }

    async def chart(self, request: web.Request) -> web.StreamResponse:
        """`GET …/chart.png`: the digest chart of this month for the link's district."""
        now = self.clock.now()
        async with UnitOfWork(self.sessions) as uow:
            try:
                opened = await self._open(uow, request)
            except DashboardRefused as exc:
                return self.refused(request, exc.reason)
            period = reporting_period(now, self.settings)
            digest = await build_digest(uow, opened.district, period, self.settings)
        png = await render_chart(digest, self.catalog, self._locale(request, opened))
        return web.Response(body=png, content_type="image/png", headers=PRIVATE)

    async def asset(self, request: web.Request) -> web.StreamResponse:
        """The stylesheet (no figures in it, so it may be cached)."""
        if request.match_info["name"] != STYLESHEET:
            raise web.HTTPNotFound()
        path = _static_dir() / STYLESHEET
        css = await asyncio.to_thread(path.read_bytes)
        headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
        return web.Response(body=css, content_type="text/css", charset="utf-8", headers=headers)
