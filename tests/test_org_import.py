"""Applying organisation files to the database: idempotent, updates in place, all or nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.orgfile import read_org_file
from handlers.organisation import apply_org, org_tree_text
from storage.models import Branch, District, GrassrootsUnit
from storage.repositories.org import OrgRepository
from tests.support.harness import SAMPLE_ORG, Harness


async def counts(harness: Harness) -> tuple[int, int, int]:
    async with harness.uow() as uow:
        s = uow.session
        return (
            int(await s.scalar(select(func.count(District.id))) or 0),
            int(await s.scalar(select(func.count(GrassrootsUnit.id))) or 0),
            int(await s.scalar(select(func.count(Branch.id))) or 0),
        )


async def test_reimport_changes_nothing(harness: Harness) -> None:
    assert await counts(harness) == (1, 3, 7)
    async with harness.uow() as uow:
        summary = await apply_org(uow, read_org_file(SAMPLE_ORG))
    assert not summary.changed
    assert await counts(harness) == (1, 3, 7)


async def test_changed_name_and_move_update_in_place(harness: Harness, tmp_path: Path) -> None:
    async with harness.uow() as uow:
        before = await uow.get(OrgRepository).branch_by_code("PH-TL-03")
        assert before is not None
        branch_id = before.id
    text = SAMPLE_ORG.read_text(encoding="utf-8").replace(
        "PH-TL,Đoàn xã Tân Long,PH-TL-03,Chi đoàn ấp Long Hòa",
        "PH-CT,Đoàn thị trấn Cây Dương,PH-TL-03,Chi đoàn ấp Long Hòa A",
    )
    changed = tmp_path / "org.csv"
    changed.write_text(text, encoding="utf-8")
    async with harness.uow() as uow:
        summary = await apply_org(uow, read_org_file(changed))
    assert summary.updated["branch"] == 1 and sum(summary.created.values()) == 0
    async with harness.uow() as uow:
        after = await uow.get(OrgRepository).branch_by_code("PH-TL-03")
        assert after is not None
        assert (after.id, after.name, after.unit.code) == (
            branch_id,
            "Chi đoàn ấp Long Hòa A",
            "PH-CT",
        )


async def test_tree_listing_has_counts(harness: Harness) -> None:
    async with harness.uow() as uow:
        text = await org_tree_text(uow)
    assert "PH  Huyện đoàn Phụng Hiệp  (3 units, 7 branches)" in text
    assert "    PH-THPT-11A2  Chi đoàn lớp 11A2" in text


async def test_lookup_by_code_ignores_case_and_missing_branches_are_listed(
    harness: Harness, tmp_path: Path
) -> None:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(" ph-tl-01 ")
        assert branch is not None and branch.code == "PH-TL-01"
    shorter = tmp_path / "org.csv"
    lines = SAMPLE_ORG.read_text(encoding="utf-8").splitlines()
    shorter.write_text("\n".join(line for line in lines if "PH-THPT-11A2" not in line), "utf-8")
    async with harness.uow() as uow:
        summary = await apply_org(uow, read_org_file(shorter))
    assert summary.not_in_file == ["PH-THPT-11A2"] and not summary.changed


async def test_another_districts_file_cannot_take_over_a_branch(
    harness: Harness, tmp_path: Path
) -> None:
    from bot.orgfile import OrgFileError

    other = tmp_path / "lm.csv"
    other.write_text(
        "Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn,Tên chi đoàn\n"
        "LM,Huyện đoàn Long Mỹ,LM-1,Đoàn xã 1,PH-TL-01,Chi đoàn ấp Một\n",
        "utf-8",
    )
    try:
        async with harness.uow() as uow:
            await apply_org(uow, read_org_file(other))
        raise AssertionError("the takeover was accepted")
    except OrgFileError as exc:
        assert "branch PH-TL-01 belongs to Huyện đoàn Phụng Hiệp (PH)" in exc.problems[0]
    assert await counts(harness) == (1, 3, 7), "nothing imported"
    async with harness.uow() as uow:
        summary = await apply_org(uow, read_org_file(other), allow_moves=True)
    assert summary.updated["branch"] == 1
    async with harness.uow() as uow:
        moved = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert moved is not None and moved.unit.code == "LM-1"
