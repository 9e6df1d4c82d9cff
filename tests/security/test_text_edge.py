"""The engine's edge: text is cleaned once for every channel, NUL and endless figures refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.engine.edge import MAX_FIGURE_DIGITS, longest_figure, tidy
from storage.models import ChatIdentity, Person
from storage.uow import UnitOfWork
from tests.support.harness import Harness
from tests.support.invites import invite_code
from tests.support.report_script import fill, report_of, step
from tests.support.tables import row_counts
from tests.telegram.driver import BotUnderTest
from tests.zalo.driver import ZaloEnv
from tests.zalo.fake_zalo import text_event


def test_tidy_keeps_newlines_drops_controls_and_composes() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert tidy(f"Ngu\x01{decomposed[3:]}\x1b[0m\r\nVăn\tAn\x85") == "Nguyễn[0m\nVăn An\n"
    assert tidy("a\nb", multiline=False) == "a b"
    assert tidy("\ud800x\x9f") == "x"


@given(st.text())
def test_tidy_leaves_only_printable_nfc_text(text: str) -> None:
    cleaned = tidy(text)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert all(ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in cleaned)
    assert tidy(cleaned) == cleaned


def test_figures_are_measured_across_separators() -> None:
    assert longest_figure("1.000.000 đồng và 25 người") == 7
    assert longest_figure("0901 234 567\n0912 345 678") == 20
    assert longest_figure("không có") == 0


async def test_a_nul_is_refused_in_the_persons_language_and_nothing_is_stored(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1")
    await chat.say("/ngonngu")
    await chat.press("English")
    await chat.say("/baocao")
    before = await row_counts(harness)
    replies = await chat.say("30\x00")
    assert [r.text for r in replies] == [harness.catalog.t("en", "common.nul_refused")]
    assert await row_counts(harness) == before
    assert await step(harness, chat) == "field:members_total"


@pytest.mark.parametrize(
    "figure",
    ["9" * 5000, "1." + ".".join(["000"] * 1700), "9" * (MAX_FIGURE_DIGITS + 1) + " người"],
)
async def test_an_endless_figure_is_refused_before_any_parser_sees_it(
    harness: Harness, figure: str
) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    before = await row_counts(harness)
    replies = await chat.say(figure)
    assert [r.text for r in replies] == [harness.catalog.t("vi", "common.figure_too_long")]
    assert await row_counts(harness) == before


async def test_a_long_money_figure_is_read_or_refused_never_an_error(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="support_startup_vnd")
    await chat.say("9" * 400 + ",5 tỷ")
    assert harness.catalog.t("vi", "common.error") not in chat.text
    assert await step(harness, chat) == "field:support_startup_vnd", "refused as out of range"
    await chat.say("5 triệu")
    assert (await report_of(harness, code="PH-TL-01")).answers["support_startup_vnd"] == 5_000_000


async def test_a_display_name_with_control_characters_is_stored_clean(harness: Harness) -> None:
    code = await harness.invite()
    chat = harness.chat("u1", "Lan\x1b[31m\x00 Nguyễn\u202e")
    await chat.say(f"/start {code}")
    async with harness.uow() as uow:
        person = await uow.session.scalar(select(Person))
    assert person is not None and person.display_name == "Lan[31m Nguyễn\u202e"


async def test_telegram_captions_and_names_are_cleaned_at_the_edge(bot: BotUnderTest) -> None:
    lan = bot.user(5201, "Lan\x07", last_name="Trần\x1b")
    await lan.send_text("/start\x00")
    assert lan.text == bot.app.catalog.t("vi", "common.nul_refused")
    await lan.send_photo(b"not an image", caption="ảnh\x00")
    assert lan.text == bot.app.catalog.t("vi", "common.nul_refused")
    await lan.send_text(f"/start {await invite_code(bot.app.sessions, bot.app.clock)}\x1b")
    async with UnitOfWork(bot.app.sessions) as uow:
        person = await uow.session.scalar(select(Person))
    assert person is not None and person.display_name == "Lan Trần"


async def test_zalo_text_is_cleaned_at_the_edge(harness: Harness, tmp_path: Path) -> None:
    env = await ZaloEnv.start(harness, tmp_path, "webhook")
    try:
        code = await harness.invite()
        event = text_event("z9", "Lan\x01", f"/start \x02{code}\x1b")
        assert await env.zalo.push(event) == 200
        await env.handled(event["message"]["message_id"])
        async with harness.uow() as uow:
            identity = await uow.session.scalar(select(ChatIdentity))
            person = await uow.session.scalar(select(Person))
        assert identity is not None and identity.chat_id == "z9"
        assert person is not None and person.display_name == "Lan"
    finally:
        await env.close()
