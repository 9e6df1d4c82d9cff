"""Control characters and NUL at every question of every flow, on SQLite and PostgreSQL.

A tour visits every question a secretary, a leader and an admin can be asked: registration, the
whole monthly report, a photo's caption, adding a young person, recording help, correcting a
detail, closing a case, returning a report with a comment, a broadcast, an invite. Every message
of the tour (commands, answers, button payloads, captions, the display name) is sent twice: first
with a NUL byte somewhere (refused with one line, nothing changes), then with control characters
and lone surrogates strewn through it, maybe decomposed (NFD). Cleaned at the engine's edge, the
second is the answer a person would type, so the tour goes on exactly as with clean text; at the
end nothing stored holds a control character or a non-NFC string, and the export with names,
which such characters used to break, is produced.
"""

from __future__ import annotations

import asyncio
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from PIL import Image

from bot.engine.types import Incoming, Reply
from storage.models import Role
from tests.support.harness import Chat, Harness
from tests.support.ops_seed import seed
from tests.support.report_script import conversation, fill
from tests.support.tables import collect_strings, text_values
from tests.support.tally import TALLY
from tests.youth_support import add_person

#: What the edge drops: C0 controls other than tab, LF and CR (which it turns into spaces or
#: newlines), DEL, C1 controls, lone surrogates.
DROPPED = [chr(c) for c in range(0x20) if chr(c) not in "\x00\t\n\r"]
DROPPED += ["\x7f", *(chr(c) for c in range(0x80, 0xA0) if c != 0x85), "\ud800", "\udfff"]
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass
class Noise:
    """Where to put a NUL, and which characters to strew where, for one message."""

    nul_at: float
    strewn: list[tuple[float, str]]
    decompose: bool


noise = st.builds(
    Noise,
    nul_at=st.floats(0, 1),
    strewn=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(DROPPED)), min_size=1, max_size=4),
    decompose=st.booleans(),
)


def insert(text: str, at: float, piece: str) -> str:
    index = round(at * len(text))
    return text[:index] + piece + text[index:]


def garble(text: str, how: Noise) -> str:
    if how.decompose:
        text = unicodedata.normalize("NFD", text)
    for at, char in how.strewn:
        text = insert(text, at, char)
    return text


class NoisyChat(Chat):
    """A chat whose every message arrives twice: with a NUL, then garbled."""

    draw: st.DataObject

    async def _send(self, incoming: Incoming) -> list[Reply]:
        how = self.draw.draw(noise)
        TALLY.tried(2)  # the message with a NUL, then garbled
        field = "text" if incoming.text else "payload"
        clean = getattr(incoming, field)
        before = await _state(self)
        nul = replace(incoming, update_id=f"{incoming.update_id}-nul")
        nul = replace(nul, **{field: insert(clean, how.nul_at, "\x00")})
        refused = await super()._send(nul)
        assert [r.text for r in refused] == [self.harness.catalog.t("vi", "common.nul_refused")]
        assert await _state(self) == before, "a message with a NUL changes nothing"
        garbled = replace(
            incoming,
            display_name=garble(incoming.display_name, how),
            **{field: garble(clean, how)},
        )
        replies = await super()._send(garbled)
        error = self.harness.catalog.t("vi", "common.error")
        for reply in replies:
            assert reply.text != error, f"apology for {garbled!r}"
            assert not _PLACEHOLDER.search(reply.text), reply.text
        assert_clean(await _conversation_strings(self))
        return replies


async def _state(chat: Chat) -> tuple[object, ...] | None:
    try:
        conv = await conversation(chat.harness, chat)
    except AssertionError:
        return None  # no conversation yet
    return (conv.flow, conv.step, conv.data, conv.choices, conv.seq)


async def _conversation_strings(chat: Chat) -> list[str]:
    state = await _state(chat)
    found: list[str] = []
    collect_strings(state, found)
    return found


def assert_clean(strings: list[str]) -> None:
    for value in strings:
        assert not any(ch in value for ch in DROPPED) and "\x00" not in value, repr(value)
        assert unicodedata.is_normalized("NFC", value), repr(value)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG")
    return out.getvalue()


def noisy(harness: Harness, user_id: str, name: str, data: st.DataObject) -> NoisyChat:
    chat = NoisyChat(harness, user_id, name)
    chat.draw = data
    return chat


async def secretary_tour(harness: Harness, data: st.DataObject) -> None:
    secretary = noisy(harness, "sec", "Nguyễn Thị Lan", data)
    await secretary.say("/start")
    await secretary.say(await harness.invite(code="PH-TL-03"))  # no report yet this month
    await secretary.say("/baocao")
    await fill(harness, secretary)
    await secretary.press("Gửi báo cáo")
    await secretary.photo(photo(), caption="Sinh hoạt chi đoàn tháng 11")
    await add_person(secretary)
    await secretary.say("1")
    await secretary.press("Ghi nhận đã giúp đỡ")
    await secretary.say("Tặng 20 kg gạo")
    await secretary.say("hôm qua")
    await secretary.press("Sửa thông tin")
    await secretary.press("Hoàn cảnh")
    await secretary.say("Mồ côi cha, ở với bà nội")
    await secretary.press("Đóng hồ sơ")
    await secretary.press("Lý do khác")
    await secretary.say("Đi nghĩa vụ quân sự")
    await secretary.press("Đóng hồ sơ")
    assert "Đã đóng" in secretary.text or "đóng" in secretary.text.lower()


async def district_tour(harness: Harness, data: st.DataObject) -> bytes:
    leader = noisy(harness, "lead", "Anh Tuấn", data)
    await leader.say(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Trường · 10/2026")
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Thiếu ảnh hoạt động tình nguyện, nhờ bổ sung")
    admin = noisy(harness, "admin", "Chị Hoa", data)
    await admin.say(f"/start {await harness.invite(Role.ADMIN, 'PH')}")
    await admin.say("/thongbao")
    await admin.say("Họp Ban chấp hành lúc 8 giờ sáng thứ Hai")
    await admin.press("✅ Gửi")
    await admin.say("/moi")
    await admin.say("PH-TL-02")
    await leader.say("/xuat 2026-11")
    await leader.press("🔒 Kèm danh sách có họ tên")
    document = next(r.document for r in leader.last if r.document is not None)
    return document.data


async def tour(url: str, data_dir: Path, data: st.DataObject) -> None:
    harness = Harness(url, data_dir)
    try:
        await harness.import_org()
        await seed(harness)
        await secretary_tour(harness, data)
        workbook = await district_tour(harness, data)
        names = [r[3] for r in load_workbook(io.BytesIO(workbook)).worksheets[2].values]
        assert "Nguyễn Văn An" in names, "the export with names is produced"
        assert_clean(await text_values(harness))
    finally:
        await harness.close()


def test_control_characters_and_nul_at_every_question(db_url: str, tmp_path: Path) -> None:
    runs = iter(range(1000))

    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def one_tour(data: st.DataObject) -> None:
        if "postgres" in db_url:
            from tests.support import databases

            asyncio.run(databases.truncate_all(db_url))
            url = db_url
        else:
            from tests.support import databases

            copy = tmp_path / f"run-{next(runs)}"
            copy.mkdir()
            url = databases.sqlite_copy(_template(tmp_path, db_url), copy)
        asyncio.run(tour(url, tmp_path / "data", data))

    one_tour()


def _template(tmp_path: Path, db_url: str) -> Path:
    """The migrated SQLite file this test started from, kept aside once."""
    import shutil

    kept = tmp_path / "template.db"
    if not kept.exists():
        shutil.copy(db_url.removeprefix("sqlite+aiosqlite:///"), kept)
    return kept
