"""The unit of work: one session, one transaction; commits on success, rolls back otherwise."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class Repository(Protocol):
    """Anything built from a session; repositories never commit."""

    def __init__(self, session: AsyncSession) -> None: ...


R = TypeVar("R", bound=Repository)


class UnitOfWork:
    """`async with UnitOfWork(factory) as uow:` — repositories come from `uow.get(RepoClass)`."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = factory
        self._session: AsyncSession | None = None
        self._repos: dict[type[Any], Any] = {}

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    def get(self, repo_class: type[R]) -> R:
        """The repository of that class, bound to this unit's session (one per unit)."""
        repo = self._repos.get(repo_class)
        if repo is None:
            repo = repo_class(self.session)
            self._repos[repo_class] = repo
        return repo  # type: ignore[no-any-return,unused-ignore]

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._factory()
        await self._session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc_type is None:
                await session.commit()
            else:
                await session.rollback()
        finally:
            await session.close()
            self._session = None
            self._repos.clear()

    async def flush(self) -> None:
        await self.session.flush()
