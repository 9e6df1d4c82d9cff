"""The outbox payload (what the sender turns back into a Reply), built in this one place.

Contract with `bot.app.outbox.payload_reply`: {"text", "choices": [[payload, label]], "photo",
"document"}; a file is {"path", "filename", "mime"} with `path` relative to `bot.data_dir`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FileRef:
    """A file the sender attaches: a chart (photo) or a workbook (document), under data_dir."""

    path: str  # relative to data_dir, so another process with the same data_dir finds it
    filename: str
    mime: str

    @classmethod
    def under(cls, relative: Path, mime: str) -> FileRef:
        """A file at `relative` (inside data_dir), sent under its own name."""
        return cls(str(relative), relative.name, mime)

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "filename": self.filename, "mime": self.mime}


def make_payload(
    text: str,
    choices: Iterable[tuple[str, str]] = (),
    *,
    photo: FileRef | None = None,
    document: FileRef | None = None,
) -> dict[str, Any]:
    """The payload of one outbox row: text, [[payload, label]] choices, optional files."""
    return {
        "text": text,
        "choices": [[payload, label] for payload, label in choices],
        "photo": photo.as_dict() if photo else None,
        "document": document.as_dict() if document else None,
    }
