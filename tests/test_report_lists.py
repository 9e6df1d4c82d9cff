"""Lists answered line by line (projects): gathered over messages, kept on /huy, undone line
by line with /quaylai."""

from __future__ import annotations

from tests.support.harness import Harness
from tests.support.report_script import (
    fill,
    report_of,
    step,
)


async def test_list_lines_survive_cancel_and_resume(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects")
    await chat.say("Lam duong giao thong")
    assert "Đã ghi 1/2" in chat.text
    await chat.say("/huy")
    await chat.say("/baocao")
    assert "Lam duong giao thong" in chat.text and await step(harness, chat) == "field:projects"
    await chat.say("Trong cay xanh")
    assert (await report_of(harness)).answers["projects"] == [
        "Lam duong giao thong",
        "Trong cay xanh",
    ]


async def test_back_in_the_middle_of_a_list_takes_back_the_last_line(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects")
    await chat.say("Lam duong sai chinh ta")
    await chat.say("/quaylai")
    assert "Đã bỏ dòng vừa ghi: «Lam duong sai chinh ta»" in chat.text
    assert await step(harness, chat) == "field:projects"
    await chat.say("Lam duong giao thong")
    assert "Đã ghi 1/2" in chat.text
    await chat.say("Trong cay xanh")
    assert (await report_of(harness)).answers["projects"] == [
        "Lam duong giao thong",
        "Trong cay xanh",
    ]


async def test_projects_sent_one_per_message_are_gathered(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects", projects_count="3")
    await chat.say("Dọn vệ sinh kênh ấp")
    assert "Đã ghi 1/3" in chat.text and await step(harness, chat) == "field:projects"
    await harness.restart()
    await chat.say("Trồng 100 cây xanh")
    assert "Đã ghi 2/3" in chat.text
    await chat.say("Sửa cầu khỉ")
    assert await step(harness, chat) == "field:volunteer_activities"
    projects = (await report_of(harness)).answers["projects"]
    assert projects == ["Dọn vệ sinh kênh ấp", "Trồng 100 cây xanh", "Sửa cầu khỉ"]
