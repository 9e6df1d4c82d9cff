"""A small typed registry of shared services (media store, form, outbox…) handed to handlers."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


class Services:
    """`services.provide(MediaStore(...))`, later `services.get(MediaStore)`."""

    def __init__(self, *items: object) -> None:
        self._items: dict[type[Any], Any] = {}
        for item in items:
            self.provide(item)

    def provide(self, item: object, as_type: type[Any] | None = None) -> None:
        self._items[as_type or type(item)] = item

    def get(self, kind: type[T]) -> T:
        try:
            return self._items[kind]  # type: ignore[no-any-return,unused-ignore]
        except KeyError:
            raise LookupError(f"no {kind.__name__} was provided to the engine") from None

    def maybe(self, kind: type[T]) -> T | None:
        return self._items.get(kind)
