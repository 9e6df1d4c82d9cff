"""The district dashboard on the bot's own web server (the page; its figures are in handlers)."""

from __future__ import annotations

from bot.app.assembly import App
from bot.app.wiring import signed_links
from handlers.dashboard.links import DashboardWarmUp, LinkSigner


def attach_dashboard(app: App) -> bool:
    """Serve the dashboard and let /bangdieukhien sign links to it, when the bot has a public
    address (`web.public_base_url`); returns whether it did."""
    from bot.app.dashboard.web import DashboardPages

    links = signed_links(app)
    if links is None or app.services.maybe(LinkSigner) is not None:  # type: ignore[type-abstract]
        return links is not None
    pages = DashboardPages(app.sessions, links, app.settings, app.catalog, app.clock)
    pages.attach(app.web_server().app)
    app.services.provide(links, as_type=LinkSigner)
    app.services.provide(pages, as_type=DashboardWarmUp)
    return True
