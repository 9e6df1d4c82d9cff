"""The district's difficult-youth lists go a page at a time, each page audited."""

from __future__ import annotations

from pathlib import Path

from storage.models import Role, YouthCase
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.youth_support import audit_rows

HEADER = "Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn,Tên chi đoàn\n"


async def add_cases(harness: Harness, code: str, count: int) -> None:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        for n in range(count):
            uow.session.add(
                YouthCase(branch_id=branch.id, full_name=f"Người {n + 1:02d}", birth_year=2004)
            )


async def test_a_branchs_cases_are_listed_a_page_at_a_time(harness: Harness) -> None:
    await add_cases(harness, "PH-TL-01", 11)
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/thanhnien")
    await leader.press("Chi đoàn ấp Long Phụng (11)")
    names = [c for c in leader.choices if c.startswith("Người")]
    assert names == [f"Người {n:02d} (2004)" for n in range(1, 9)]
    assert "Trang sau ➡️" in leader.choices and leader.said("youth.page_note", page=1, pages=2)
    await leader.press("Trang sau ➡️")
    names = [c for c in leader.choices if c.startswith("Người")]
    assert names == [f"Người {n:02d} (2004)" for n in range(9, 12)]
    assert "⬅️ Trang trước" in leader.choices and "Trang sau ➡️" not in leader.choices
    await leader.press("Người 10 (2004)")
    assert "Người 10" in leader.text
    listings = [a.detail for a in await audit_rows(harness) if a.action == "youth.list"]
    assert [d["page"] for d in listings] == [1, 2]


async def test_the_branch_counts_are_listed_a_page_at_a_time(
    harness: Harness, tmp_path: Path
) -> None:
    rows = [
        f"BIG,Huyện đoàn Lớn,BIG-1,Đoàn xã Một,BIG-1-{n:02d},Chi đoàn {n:02d}" for n in range(12)
    ]
    org = tmp_path / "big.csv"
    org.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    await harness.import_org(org)
    for n in range(12):
        await add_cases(harness, f"BIG-1-{n:02d}", 1)
    leader = await harness.registered("lead", Role.LEADER, "BIG")
    await leader.say("/thanhnien")
    assert leader.choices[:8] == [f"Chi đoàn {n:02d} (1)" for n in range(8)]
    assert "Chi đoàn 08: 1 đang theo dõi" not in leader.text
    await leader.press("Trang sau ➡️")
    assert leader.choices[:4] == [f"Chi đoàn {n:02d} (1)" for n in range(8, 12)]
    assert "Chi đoàn 08: 1 đang theo dõi, 0 đã đóng" in leader.text
    assert "Huyện đoàn Lớn: 12 người đang theo dõi" in leader.text
