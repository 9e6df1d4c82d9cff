"""The form as data: the built-in file, a district's own file, and the checks made on loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.i18n import Catalog, placeholders
from handlers.reports.checks import check_answer, compute_flags, member_gap
from handlers.reports.form import FieldType, FormError, load_form, parse_form
from tests.support.harness import Harness
from tests.support.report_script import report_of, step

CONTRACT = {
    "members_total": FieldType.INT,
    "admitted": FieldType.INT,
    "transferred_in": FieldType.INT,
    "transferred_out": FieldType.INT,
    "meeting_held": FieldType.YESNO,
    "meeting_date": FieldType.DATE,
    "meeting_attendance": FieldType.INT,
    "one_plus_one": FieldType.INT,
    "projects_count": FieldType.INT,
    "projects": FieldType.LONGTEXT,
    "volunteer_activities": FieldType.MULTICHOICE,
    "party_introduced": FieldType.INT,
    "support_poverty_models": FieldType.INT,
    "support_charity_houses": FieldType.INT,
    "support_startup_vnd": FieldType.INT,
    "mood": FieldType.LONGTEXT,
    "difficulties": FieldType.LONGTEXT,
    "photos": FieldType.PHOTOS,
}

SMALL_FORM = """
version = "test-1"

[[fields]]
key = "members_total"
type = "int"
min = 0
max = 100

[[fields]]
key = "branch_kind"
type = "choice"
question = "report.field.volunteer_activities.question"
options = [
    { value = "volunteer", label = "report.option.volunteer" },
    { value = "new_countryside", label = "report.option.new_countryside" },
]

[[fields]]
key = "motto"
type = "text"
max = 10
question = "report.field.mood.question"
label = "report.field.mood.label"
help = "report.field.mood.help"
"""


def test_the_built_in_form_keeps_the_answer_contract() -> None:
    form = load_form()
    assert {f.key: f.type for f in form.fields} == CONTRACT
    assert form.field("support_startup_vnd").unit == "vnd"
    assert form.field("projects").lines
    assert not form.field("mood").required and not form.field("difficulties").required
    assert form.field("meeting_date").when is not None


def test_every_message_of_the_form_exists_in_both_languages() -> None:
    catalog = Catalog()
    for key in load_form().locale_keys():
        assert key in catalog.messages["vi"], key
        assert key in catalog.messages["en"], key
    report_keys = {k for k in catalog.messages["vi"] if k.startswith("report.")}
    assert report_keys == {k for k in catalog.messages["en"] if k.startswith("report.")}
    for key in report_keys:
        assert placeholders(catalog.messages["vi"][key]) == placeholders(
            catalog.messages["en"][key]
        ), key


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('version = "x"\n[[fields]]\nkey = "a"\ntype = "number"', "fields.0.type"),
        ('version = "x"\n[[fields]]\nkey = "a"\ntype = "choice"', "needs options"),
        ('version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\nmin = 5\nmax = 1', "min is above"),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\nwhen = "b"\n'
            '[[fields]]\nkey = "b"\ntype = "yesno"',
            "earlier question",
        ),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[[fields]]\nkey = "a"\n'
            'type = "int"',
            "share a key",
        ),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[[rules]]\nkind = "compare"\n'
            'field = "a"\nop = "<="\nother = "zz"\nmessage = "m"',
            "unknown question 'zz'",
        ),
        ('version = "x"\nfields = [', "form:"),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[history]\nratio = 0.5',
            "history.ratio: Input should be greater than 1",
        ),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "text"\n[history.floor]\na = 3',
            "history.floor names 'a', not a number question",
        ),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[history]\nmonths = 4\n'
            "[history.district.PH]\nmin_months = 5",
            "district.PH: min_months (5) is above months",
        ),
        (
            'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[history.district.PH]\n'
            "spread = -1",
            "history.district.PH.spread",
        ),
    ],
)
def test_a_broken_form_is_refused_with_a_readable_reason(text: str, complaint: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(text)
    assert complaint in str(caught.value)


def test_rules_read_the_answers_they_name() -> None:
    form = load_form()
    period = {"period_first": date(2026, 11, 1), "period_last": date(2026, 11, 30)}
    today = date(2026, 11, 10)
    ok = {"members_total": 5, "transferred_out": 25, "meeting_attendance": 30}
    assert check_answer(form, "meeting_attendance", ok, **period, today=today) is None
    bad = {"members_total": 30, "transferred_out": 0, "meeting_attendance": 31}
    problem = check_answer(form, "meeting_attendance", bad, **period, today=today)
    assert problem is not None and problem.values == {"left": 31, "right": 30}
    assert (
        check_answer(form, "meeting_attendance", {"meeting_attendance": 99}, **period, today=today)
        is None
    )
    balance = next(r for r in form.rules if r.kind == "member_balance")
    answers = {"members_total": 30, "admitted": 2, "transferred_in": 1, "transferred_out": 3}
    assert member_gap(balance, answers, 30) is None
    gap = member_gap(balance, answers, 20)
    assert gap is not None and (gap.expected, gap.reported) == (20, 30)
    assert member_gap(balance, answers, None) is None
    flags = compute_flags(form, {"members_total": 10, "one_plus_one": 21}, lambda key, values: key)
    assert flags == [
        {
            "field": "one_plus_one",
            "code": "many_one_plus_one",
            "note": "report.flag.many_one_plus_one",
        }
    ]


async def test_a_districts_own_form_is_used_with_choice_and_text_questions(
    sqlite_url: str, tmp_path: Path
) -> None:
    form_file = tmp_path / "form.toml"
    form_file.write_text(SMALL_FORM, "utf-8")
    harness = Harness(sqlite_url, tmp_path / "data", reporting={"form_file": str(form_file)})
    try:
        await harness.import_org()
        chat = await harness.registered("u1")
        await chat.say("/baocao")
        assert "khoảng 3 câu ngắn" in chat.text and "Câu 1/3" in chat.text
        await chat.say("20")
        assert chat.choices == ["Tình nguyện", "Nông thôn mới"]
        await chat.say("1, 2")
        assert "chọn một mục" in chat.text
        await chat.say("nong thon moi")
        await chat.say("Một câu khẩu hiệu quá dài")
        assert "tối đa là 10" in chat.text
        await chat.say("Xung kích")
        assert await step(harness, chat) == "summary"
        await chat.press("Gửi báo cáo")
        report = await report_of(harness)
        assert report.answers == {
            "members_total": 20,
            "branch_kind": "new_countryside",
            "motto": "Xung kích",
        }
        assert report.form_version == "test-1"
    finally:
        await harness.close()


def test_form_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.app.cli import main

    assert main(["form", "check"]) == 0
    out = capsys.readouterr().out
    assert "form 2026.1: 18 questions, 9 rules" in out
    assert "history: 6 months (compared from 3), 7 figures against the branch's own" in out
    broken = tmp_path / "form.toml"
    broken.write_text(SMALL_FORM.replace('type = "text"', 'type = "essay"'), "utf-8")
    assert main(["form", "check", str(broken)]) == 1
    assert "fields.2.type" in capsys.readouterr().err
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(SMALL_FORM.replace("report.field.mood.help", "report.nope"), "utf-8")
    assert main(["form", "check", str(unknown)]) == 1
    assert "report.nope" in capsys.readouterr().err
