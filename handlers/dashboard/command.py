"""/bangdieukhien: a signed link to the district dashboard; /bangdieukhien huy revokes them."""

from __future__ import annotations

from datetime import timedelta

from bot.engine.context import Context
from bot.engine.textnorm import fold
from bot.i18n import plural_key
from handlers.access import DistrictRouter
from handlers.dashboard.links import DashboardWarmUp, LinkSigner, issue_link, revoke_links
from handlers.i18n import fmt
from storage.models import District

router = DistrictRouter("dashboard")

REVOKE_WORDS = ("huy", "cancel", "revoke", "khoa")


@router.district_command("bangdieukhien", "dashboard", help_key="dashboard.help")
async def dashboard_command(ctx: Context, args: str, district: District) -> None:
    """Send a new link, or revoke every link sent before."""
    assert ctx.person is not None  # the guard refuses anyone not registered
    word = fold(args).strip()
    if word in REVOKE_WORDS:
        count = await revoke_links(ctx.uow, ctx.person, ctx.now)
        key = (
            plural_key("dashboard.revoked", count, ctx.locale)
            if count
            else "dashboard.none_to_revoke"
        )
        ctx.say(key, count=count)
        return
    if word:
        ctx.say("dashboard.usage")
        return
    signer = ctx.services.maybe(LinkSigner)  # type: ignore[type-abstract]
    if signer is None:
        ctx.say("dashboard.not_configured")
        return
    hours = ctx.settings.web.dashboard_ttl_hours
    url, expires = await issue_link(
        ctx.uow,
        signer,
        ctx.person,
        district,
        locale=ctx.locale,
        now=ctx.now,
        ttl=timedelta(hours=hours),
    )
    warm_up = ctx.services.maybe(DashboardWarmUp)  # type: ignore[type-abstract]
    if warm_up is not None:
        warm_up.warm(district.id)
    until = fmt(ctx).moment(expires)
    ctx.say(
        "dashboard.link",
        district=district.name,
        url=url,
        until=until,
        hours=f"{hours:g}",
    )
