"""Reply → Telegram messages: HTML escaping, splitting, keyboard layout, callback data limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.channels.telegram.render import (
    ALBUM_LIMIT,
    CAPTION_LIMIT,
    TEXT_LIMIT,
    OutKind,
    album_parts,
    chosen_html,
    escape,
    fits_callback_data,
    keyboard,
    pressed_label,
    render,
)
from bot.engine.types import Attachment, Choice, KeptPhoto, Reply

PNG = Attachment(b"\x89PNG chart", "chart.png", "image/png")
XLSX = Attachment(b"PK export", "bao-cao.xlsx", "application/vnd.ms-excel")


def _labels(markup: InlineKeyboardMarkup | None) -> list[list[str]]:
    assert markup is not None
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_user_content_is_escaped_for_html() -> None:
    [out] = render(Reply(text="Chi đoàn <Tân Long> & ấp 3 — <script>x</script>"))
    assert out.html == "Chi đoàn &lt;Tân Long&gt; &amp; ấp 3 — &lt;script&gt;x&lt;/script&gt;"
    assert out.kind is OutKind.TEXT and out.keyboard is None


def test_long_text_is_split_on_line_boundaries_within_4096() -> None:
    lines = [f"{i:04d} Đoàn viên Nguyễn Văn A — hoàn thành" for i in range(400)]
    text = "\n".join(lines)
    out = render(Reply(text=text, choices=(Choice("1|ok", "OK"),)))
    assert len(out) > 1
    assert all(len(m.html) <= TEXT_LIMIT for m in out)
    assert "\n".join(m.html for m in out) == text, "nothing lost, cut only between lines"
    assert [m.keyboard is not None for m in out] == [False] * (len(out) - 1) + [True]


def test_splitting_counts_characters_before_escaping() -> None:
    text = ("a<b " * 1000).strip()  # 3999 characters, 5999 once escaped
    [out] = render(Reply(text=text))
    assert out.html == escape(text)


def test_keyboard_rows_follow_columns() -> None:
    choices = tuple(Choice(f"7|m:{i}", f"Tháng {i}") for i in range(1, 6))
    assert _labels(keyboard(Reply(text="?", choices=choices, columns=2))) == [
        ["Tháng 1", "Tháng 2"],
        ["Tháng 3", "Tháng 4"],
        ["Tháng 5"],
    ]
    assert _labels(keyboard(Reply(text="?", choices=choices[:2]))) == [["Tháng 1"], ["Tháng 2"]]
    markup = keyboard(Reply(text="?", choices=choices[:1]))
    assert markup is not None and markup.inline_keyboard[0][0].callback_data == "7|m:1"
    assert keyboard(Reply(text="no choices")) is None


def test_callback_data_limit_is_64_bytes_of_utf8() -> None:
    assert fits_callback_data("12|" + "a" * 61)
    assert not fits_callback_data("12|" + "a" * 62)
    assert fits_callback_data("1|" + "đ" * 31)  # 33 characters, 64 bytes
    assert not fits_callback_data("1|" + "đ" * 32), "34 characters, but 66 bytes"
    assert not fits_callback_data("")


def test_a_payload_too_long_for_a_button_falls_back_to_numbered_text() -> None:
    choices = (Choice("3|ok", "Đồng ý"), Choice("3|" + "x" * 70, "Khác"))
    [out] = render(Reply(text="Chọn một:", choices=choices))
    assert out.keyboard is None
    assert out.html == "Chọn một:\n\n1. Đồng ý\n2. Khác"


def test_photo_takes_a_short_text_as_caption_and_the_buttons() -> None:
    [out] = render(Reply(text="Biểu đồ <tháng 11>", photo=PNG, choices=(Choice("1|a", "A"),)))
    assert out.kind is OutKind.PHOTO and out.attachment is PNG
    assert out.html == "Biểu đồ &lt;tháng 11&gt;" and out.keyboard is not None


def test_long_text_with_a_document_goes_first_then_the_file() -> None:
    text = "x" * (CAPTION_LIMIT + 1)
    out = render(Reply(text=text, document=XLSX))
    assert [m.kind for m in out] == [OutKind.TEXT, OutKind.DOCUMENT]
    assert out[1].html == "" and out[1].attachment is XLSX


def test_photo_and_document_together() -> None:
    out = render(Reply(text="Xuất báo cáo", photo=PNG, document=XLSX))
    assert [(m.kind, m.html) for m in out] == [
        (OutKind.PHOTO, "Xuất báo cáo"),
        (OutKind.DOCUMENT, ""),
    ]


def test_chosen_answer_is_appended_in_bold_and_escaped() -> None:
    assert chosen_html("Bạn chọn?", "A & <B>") == "Bạn chọn?\n\n→ <b>A &amp; &lt;B&gt;</b>"


def test_pressed_label_is_found_by_callback_data() -> None:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="4|y"),
                InlineKeyboardButton("Không", callback_data="4|n"),
            ]
        ]
    )
    assert pressed_label(markup, "4|n") == "Không"
    assert pressed_label(markup, "3|n") is None
    assert pressed_label(None, "4|n") is None


def _kept(count: int) -> tuple[KeptPhoto, ...]:
    return tuple(
        KeptPhoto(Path(f"/m/{i:064x}.jpg"), f"{i:064x}", "image/jpeg", f"anh-{i}.jpg")
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (1, [1]),
        (2, [2]),
        (10, [10]),
        (11, [6, 5]),
        (12, [6, 6]),
        (21, [7, 7, 7]),
        (31, [8, 8, 8, 7]),
    ],
)
def test_album_parts_hold_two_to_ten_photos_and_keep_the_order(
    count: int, sizes: list[int]
) -> None:
    photos = _kept(count)
    parts = album_parts(photos)
    assert [len(p) for p in parts] == sizes
    assert all(2 <= len(p) <= ALBUM_LIMIT for p in parts) or count == 1
    assert tuple(p for part in parts for p in part) == photos


def test_an_albums_caption_goes_on_its_first_part_only() -> None:
    out = render(Reply(text="Sinh hoạt <chi đoàn>", album=_kept(12)))
    assert [(o.kind, len(o.photos), o.html) for o in out] == [
        (OutKind.ALBUM, 6, "Sinh hoạt &lt;chi đoàn&gt;"),
        (OutKind.ALBUM, 6, ""),
    ]


def test_an_album_with_buttons_or_a_long_text_sends_the_text_apart() -> None:
    with_buttons = render(Reply(text="Ảnh", album=_kept(2), choices=(Choice("1|a", "A"),)))
    assert [o.kind for o in with_buttons] == [OutKind.ALBUM, OutKind.TEXT]
    assert with_buttons[0].html == "" and _labels(with_buttons[1].keyboard) == [["A"]]
    long = render(Reply(text="x" * (CAPTION_LIMIT + 1), album=_kept(3)))
    assert [(o.kind, o.html[:1]) for o in long] == [(OutKind.TEXT, "x"), (OutKind.ALBUM, "")]
