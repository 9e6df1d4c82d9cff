"""A district adds a question: the form file (with its own words) and nothing else.

The new question must then be asked in the conversation, shown in the summary, be a column of
the export and a figure of the weekly digest — with no code changed.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from bot.i18n import Formatter
from handlers.digest.compute import build_digest
from handlers.digest.render import digest_text
from handlers.reports.form import DEFAULT_FORM, load_form
from storage.models import ReportStatus, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.report_script import fill, report_of
from tests.support.workbook import HEADER_ROW

BUILT_IN = Path(__file__).resolve().parents[1] / "handlers" / "forms" / DEFAULT_FORM

#: The new question, placed before the photo step.
TREES = """[[fields]]
key = "trees_planted"
type = "int"
min = 0
max = 100000
digest = true

"""

#: Its words, shipped in the same file.
TREE_WORDS = """
[messages.vi.report.field.trees_planted]
question = "Tháng này chi đoàn trồng được bao nhiêu cây xanh?"
label = "Cây xanh đã trồng"
help = "Đếm mọi cây chi đoàn trồng trong tháng."
column = "Số cây xanh"
digest = "• Cây xanh đã trồng: {value}"

[messages.en.report.field.trees_planted]
question = "How many trees did the branch plant this month?"
label = "Trees planted"
help = "Count every tree the branch planted this month."
column = "Trees planted"
digest = "• Trees planted: {value}"
"""


def district_form(folder: Path) -> Path:
    """A copy of the built-in form with the question and its words added."""
    text = BUILT_IN.read_text("utf-8")
    photos = text.index('[[fields]]\nkey = "photos"')
    path = folder / "district-form.toml"
    path.write_text(text[:photos] + TREES + text[photos:] + TREE_WORDS, "utf-8")
    return path


async def test_a_question_added_in_the_form_file_reaches_every_view(
    db_url: str, tmp_path: Path
) -> None:
    form_file = district_form(tmp_path)
    harness = Harness(db_url, tmp_path / "data", reporting={"form_file": str(form_file)})
    try:
        await harness.import_org()
        t = harness.catalog.t
        assert load_form(form_file).has("trees_planted")

        chat = await harness.registered("u1")
        await chat.say("/baocao")
        await fill(harness, chat, until="trees_planted")
        assert t("vi", "report.field.trees_planted.question") in chat.text
        await chat.say("120 cây")
        await fill(harness, chat)
        assert f"{t('vi', 'report.field.trees_planted.label')}: 120" in chat.text, "summary"
        await chat.press(1)  # send
        assert (await report_of(harness)).status == ReportStatus.SUBMITTED

        leader = await harness.registered("lead", Role.LEADER, "PH")
        await leader.say("/xuat 2026-11")
        await leader.press(1)
        document = next(r.document for r in leader.last if r.document is not None)
        sheet = load_workbook(io.BytesIO(document.data)).worksheets[0]
        rows = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
        column = rows[0].index(t("vi", "report.field.trees_planted.column"))
        assert [r[column] for r in rows[1:] if r[3] == "PH-TL-01"] == [120], "export column"

        async with harness.uow() as uow:
            district = await uow.get(OrgRepository).district_by_code("PH")
            assert district is not None
            digest = await build_digest(uow, district, "2026-11", harness.settings)
        text = digest_text(digest, Formatter(harness.catalog, "vi"))
        assert t("vi", "report.field.trees_planted.digest", value="120") in text, "digest"
        english = digest_text(digest, Formatter(harness.catalog, "en"))
        assert "• Trees planted: 120" in english
    finally:
        await harness.close()
