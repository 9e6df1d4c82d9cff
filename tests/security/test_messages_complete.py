"""Refusals say what is expected: no message reaches a person with a placeholder left in it."""

from __future__ import annotations

from tests.support.harness import Harness


async def test_a_name_with_digits_is_refused_with_its_length_bounds(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    await chat.say("Nguyễn Văn 2")
    refusal = chat.last[0].text
    assert refusal == harness.catalog.t("vi", "youth.bad_name", low=4, high=100)
    assert "{" not in refusal
