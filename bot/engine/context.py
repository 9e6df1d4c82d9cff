"""What a handler sees: the input, the person, their roles, the state, and a way to reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from bot.engine.types import STALE, Choice, Incoming, InKind, Photo, Reply
from storage.models import Conversation, Person, Role, RoleAssignment
from storage.uow import Repository, UnitOfWork

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.engine.services import Services
    from bot.i18n import Catalog

R = TypeVar("R", bound=Repository)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Input:
    """The user's answer after choice resolution: a choice payload, text, or a photo."""

    kind: InKind
    text: str = ""
    choice: str | None = None
    photo: Photo | None = None


class Context:
    """Built per update by the engine; handlers read from it and reply through it."""

    def __init__(
        self,
        *,
        incoming: Incoming,
        input: Input,
        uow: UnitOfWork,
        conversation: Conversation,
        person: Person | None,
        locale: str,
        settings: Settings,
        catalog: Catalog,
        services: Services,
        dispatcher: object,
        now: datetime,
    ) -> None:
        self.incoming = incoming
        self.input = input
        self.uow = uow
        self.conversation = conversation
        self.person = person
        self.locale = locale
        self.settings = settings
        self.catalog = catalog
        self.services = services
        # The engine's `Dispatcher`, which is built from routers of handlers taking this Context:
        # typed loosely here so the two modules do not import each other.
        self.dispatcher = dispatcher
        self.now = now
        self.replies: list[Reply] = []
        # The conversation's flow, step and data as handlers change them; written to the row
        # once, by `store_state` at the end of the update (one UPDATE, not one per flush).
        self._flow: str | None = conversation.flow
        self._step: str | None = conversation.step
        self._data: dict[str, Any] = dict(conversation.data or {})
        # Set when a handler moves the conversation (goto/update/end_flow) during this update.
        self.state_touched = False
        # Set when the reply shows nothing new (an unknown command, a refusal): the choices
        # offered before stay answerable by number.
        self.nothing_new = False

    # -- replying ----------------------------------------------------------------------------
    def t(self, key: str, /, **values: Any) -> str:
        """A message in the user's language."""
        return self.catalog.t(self.locale, key, **values)

    def say(self, key: str, /, *, choices: tuple[Choice, ...] = (), **values: Any) -> None:
        """Reply with a catalog message, optionally offering choices."""
        self.replies.append(Reply(text=self.t(key, **values), choices=choices))

    def reply(self, reply: Reply) -> None:
        self.replies.append(reply)

    def stale(self) -> None:
        """Say a pressed button belongs to an old question (channels may show it as a toast)."""
        self.replies.append(Reply(text=self.t("common.stale_button"), meta={STALE: "1"}))

    def choice(self, payload: str, key: str, /, **values: Any) -> Choice:
        """A choice whose label is a catalog message."""
        return Choice(payload=payload, label=self.t(key, **values))

    # -- the state of this chat ----------------------------------------------------------------
    @property
    def flow(self) -> str | None:
        return self._flow

    @property
    def step(self) -> str | None:
        return self._step

    @property
    def data(self) -> dict[str, Any]:
        """The flow's saved data (read-only view; change it with `update`)."""
        return dict(self._data)

    def goto(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Enter `flow` at `step`; `data` replaces the flow's data when given."""
        self.state_touched = True
        self._flow, self._step = flow, step
        if data is not None:
            self._data = dict(data)

    def update(self, **values: Any) -> None:
        """Merge values into the flow's data."""
        self.state_touched = True
        self._data = {**self._data, **values}

    def end_flow(self) -> None:
        self.state_touched = True
        self._flow, self._step, self._data = None, None, {}

    def store_state(self) -> None:
        """Write the state handlers left onto the conversation row (the engine calls this once,
        after the handler; a new dict, so the JSON column is rewritten)."""
        if self.state_touched:
            conv = self.conversation
            conv.flow, conv.step, conv.data = self._flow, self._step, dict(self._data)

    # -- who is talking ----------------------------------------------------------------------
    def roles(self, *kinds: Role) -> list[RoleAssignment]:
        """The person's active role assignments, of the given kinds (all when none given)."""
        if self.person is None:
            return []
        wanted = {k.value for k in kinds}
        return [r for r in self.person.roles if r.active and (not wanted or r.role in wanted)]

    def has_role(self, *kinds: Role) -> bool:
        return bool(self.roles(*kinds))

    def repo(self, repo_class: type[R]) -> R:
        return self.uow.get(repo_class)

    def service(self, kind: type[T]) -> T:
        return self.services.get(kind)
