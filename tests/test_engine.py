"""The engine: redelivery, ordering, stale buttons, errors that roll back, typed choices."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.engine.context import Context
from bot.engine.engine import parse_command
from bot.engine.router import Flow, Router
from bot.engine.types import Choice, Incoming, InKind
from handlers import ROUTERS
from storage.models import Conversation, Person
from tests.support.harness import Harness


def incoming(text: str, update_id: str | None = None, chat: str = "c1") -> Incoming:
    return Incoming(channel="fake", chat_id=chat, user_id=chat, text=text, update_id=update_id)


def test_parse_command() -> None:
    assert parse_command("/baocao@chidoan_bot 2026-11") == ("baocao", "2026-11")
    assert parse_command("/START abc") == ("start", "abc")
    assert parse_command("báo cáo") is None and parse_command("/") is None


async def test_redelivered_update_is_a_no_op(sqlite_harness: Harness) -> None:
    code = await sqlite_harness.invite()
    engine = sqlite_harness.engine
    first = await engine.handle(incoming(f"/start {code}", update_id="42"))
    again = await engine.handle(incoming(f"/start {code}", update_id="42"))
    assert "đăng ký thành công" in first[0].text
    assert again == []


async def test_language_switch_by_number_and_word_is_remembered(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/ngonngu")
    assert chat.choices == ["Tiếng Việt", "English"]
    await chat.say("english")
    assert chat.text == "Switched to English."
    await harness.restart()
    await chat.say("/help")
    assert "Commands you can use" in chat.text
    await chat.say("/language")
    await chat.say("1")
    assert "Tiếng Việt" in chat.text
    async with harness.uow() as uow:
        person = await uow.session.scalar(select(Person))
        assert person is not None and person.locale == "vi"


async def test_stale_button_changes_nothing(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/ngonngu")
    old = chat.last
    await chat.say("/ngonngu")
    chat.last = old
    await chat.press("English")
    assert "câu hỏi cũ" in chat.text
    await chat.say("/trogiup")
    assert "Các lệnh" in chat.text, "the language did not change"


async def test_bare_command_word_without_slash(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("Ngôn ngữ")
    assert chat.choices == ["Tiếng Việt", "English"]
    await chat.say("tro giup")
    assert "Các lệnh" in chat.text


async def test_unknown_input_and_unsupported_messages(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    await chat.say("/khongco")
    assert "/khongco" in chat.text
    await chat.say("blah blah")
    assert "chưa hiểu" in chat.text
    await chat.sticker()
    assert "chữ và ảnh" in chat.text


async def test_back_skip_cancel_outside_a_flow(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered("u1")
    for command, words in (("/quaylai", "quay lại"), ("/boqua", "bỏ qua"), ("/huy", "dừng")):
        await chat.say(command)
        assert words in chat.text


class _Exploding(Flow):
    """A flow whose answer handler saves something, then fails."""

    name = "exploding"

    async def start(self, ctx: Context, args: str) -> None:
        ctx.goto(self.name, "one", {"kept": "yes"})
        ctx.say("common.menu", choices=(Choice("a", "A"),))

    async def ask(self, ctx: Context) -> None:
        ctx.say("common.menu")

    async def on_input(self, ctx: Context) -> None:
        ctx.update(lost="this must not be saved")
        raise RuntimeError("boom")


def _with_exploding() -> list[Router]:
    router = Router("test")
    flow = router.flow(_Exploding())

    @router.command("no")
    async def start(ctx: Context, args: str) -> None:
        await flow.start(ctx, args)

    return [*ROUTERS, router]


async def test_a_crash_apologises_and_keeps_what_was_saved(
    sqlite_harness: Harness, caplog: object
) -> None:
    sqlite_harness._build(_with_exploding())
    chat = await sqlite_harness.registered("u1")
    await chat.say("/no")
    await chat.say("anything")
    assert "trục trặc" in chat.text and "vẫn được lưu" in chat.text
    async with sqlite_harness.uow() as uow:
        conv = await uow.session.scalar(select(Conversation))
        assert conv is not None
        assert conv.flow == "exploding" and conv.data == {"kept": "yes"}


async def test_one_chat_in_order_different_chats_in_parallel(sqlite_harness: Harness) -> None:
    order: list[str] = []
    gate = asyncio.Event()
    router = Router("slow")

    @router.command("slow", public=True)
    async def slow(ctx: Context, args: str) -> None:
        order.append(f"start {ctx.incoming.chat_id} {args}")
        if args == "1":
            await gate.wait()
        order.append(f"end {ctx.incoming.chat_id} {args}")
        ctx.say("common.menu")

    sqlite_harness._build([*ROUTERS, router])
    engine = sqlite_harness.engine
    # Both chats have talked before. (A chat's very first update creates its conversation row in
    # that update's transaction, which on SQLite holds the one write lock until it ends.)
    for chat in ("a", "b"):
        await engine.handle(incoming("/slow 0", chat=chat))
    order.clear()
    first = asyncio.create_task(engine.handle(incoming("/slow 1", chat="a")))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(engine.handle(incoming("/slow 2", chat="a")))
    other = asyncio.create_task(engine.handle(incoming("/slow 3", chat="b")))
    await asyncio.wait_for(other, 5)
    assert "end b 3" in order and "start a 2" not in order
    gate.set()
    await asyncio.wait_for(asyncio.gather(first, second), 5)
    assert order.index("end a 1") < order.index("start a 2")


async def test_console_photo_path_becomes_a_photo(tmp_path: Path) -> None:
    from bot.app.channels.console import ConsoleChannel

    picture = tmp_path / "anh.jpg"
    picture.write_bytes(b"\xff\xd8\xff fake jpeg")
    seen: list[Incoming] = []

    async def handle(item: Incoming) -> list:  # type: ignore[type-arg]
        seen.append(item)
        return []

    console = ConsoleChannel(handle, user_id="u", display_name="U", out_dir=tmp_path)
    assert console._incoming(str(picture)).kind is InKind.PHOTO
    assert console._incoming("xin chao").kind is InKind.TEXT
    console.max_photo_bytes = 3
    too_big = console._incoming(f"'{picture}'")
    assert too_big.photo is not None and too_big.photo.problem == "too_large"
