"""Applying an organisation file to the database, and showing the tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.orgfile import OrgFileError, OrgRow
from storage.models import Branch, District, GrassrootsUnit
from storage.repositories.org import OrgRepository
from storage.uow import UnitOfWork


@dataclass
class ImportSummary:
    """What an import changed, by kind: created, renamed or moved, and left alone."""

    created: dict[str, int] = field(default_factory=lambda: {"district": 0, "unit": 0, "branch": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"district": 0, "unit": 0, "branch": 0})
    unchanged: int = 0
    # Branches of the file's districts that the file no longer lists: kept (their reports stay).
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


async def cross_district_moves(uow: UnitOfWork, rows: list[OrgRow]) -> list[str]:
    """Rows that would move an existing unit or branch into another district.

    One district's file must not take over another district's branch because the codes clash
    (Excel turns codes into numbers, so "101" exists in many districts).
    """
    org = uow.get(OrgRepository)
    problems: list[str] = []
    for row in rows:
        unit = await org.unit_by_code(row.unit_code)
        if unit is not None and unit.district.code != row.district_code:
            problems.append(
                f"line {row.line}: unit {row.unit_code} belongs to {unit.district.name} "
                f"({unit.district.code}), not {row.district_code}"
            )
        branch = await org.branch_by_code(row.branch_code)
        if branch is not None and branch.unit.district.code != row.district_code:
            owner = branch.unit.district
            problems.append(
                f"line {row.line}: branch {row.branch_code} belongs to {owner.name} "
                f"({owner.code}), not {row.district_code}"
            )
    return problems


async def apply_org(
    uow: UnitOfWork, rows: list[OrgRow], *, allow_moves: bool = False
) -> ImportSummary:
    """Create what is new and update names and parents in place; codes are the identity.

    Moving a unit or branch to another district is refused (`OrgFileError`, nothing changed)
    unless `allow_moves` says the districts really were reorganised.
    """
    if not allow_moves and (problems := await cross_district_moves(uow, rows)):
        raise OrgFileError(
            [*problems, "nothing imported; if districts really were reorganised, use --allow-moves"]
        )
    org = uow.get(OrgRepository)
    summary = ImportSummary()
    districts: dict[str, District] = {}
    units: dict[str, GrassrootsUnit] = {}
    for row in rows:
        district = districts.get(row.district_code)
        if district is None:
            district = await org.district_by_code(row.district_code)
            if district is None:
                district = District(code=row.district_code, name=row.district_name)
                org.add(district)
                summary.created["district"] += 1
            elif district.name != row.district_name:
                district.name = row.district_name
                summary.updated["district"] += 1
            else:
                summary.unchanged += 1
            districts[row.district_code] = district
            await uow.flush()
        unit = units.get(row.unit_code)
        if unit is None:
            unit = await org.unit_by_code(row.unit_code)
            if unit is None:
                unit = GrassrootsUnit(
                    code=row.unit_code, name=row.unit_name, district_id=district.id
                )
                org.add(unit)
                summary.created["unit"] += 1
            elif (unit.name, unit.district_id) != (row.unit_name, district.id):
                unit.name, unit.district_id = row.unit_name, district.id
                summary.updated["unit"] += 1
            else:
                summary.unchanged += 1
            units[row.unit_code] = unit
            await uow.flush()
        branch = await org.branch_by_code(row.branch_code)
        if branch is None:
            org.add(Branch(code=row.branch_code, name=row.branch_name, unit_id=unit.id))
            summary.created["branch"] += 1
        elif (branch.name, branch.unit_id) != (row.branch_name, unit.id):
            branch.name, branch.unit_id = row.branch_name, unit.id
            summary.updated["branch"] += 1
        else:
            summary.unchanged += 1
    await uow.flush()
    listed = {row.branch_code for row in rows}
    for district in districts.values():
        for branch in await org.branches_of_district(district.id):
            if branch.code not in listed:
                summary.not_in_file.append(branch.code)
    return summary


async def org_tree_text(uow: UnitOfWork) -> str:
    """The tree, one line per district, unit and branch, with counts."""
    lines = []
    for district in await uow.get(OrgRepository).districts():
        branches = sum(len(u.branches) for u in district.units)
        units = len(district.units)
        lines.append(f"{district.code}  {district.name}  ({units} units, {branches} branches)")
        for unit in district.units:
            lines.append(f"  {unit.code}  {unit.name}  ({len(unit.branches)} branches)")
            lines.extend(f"    {b.code}  {b.name}" for b in unit.branches)
    return "\n".join(lines) if lines else "(no organisation imported yet)"
