"""Telling a failure to store an update from a failure to handle it.

A handler's bug is answered with an apology and acknowledged: delivering the update again would
fail the same way. A database that cannot be reached or written, or a full disk, is different:
nothing was saved, so the update must come back once storage recovers.
"""

from __future__ import annotations

import errno

from sqlalchemy import exc as sa

#: OS errors that mean "storage cannot take writes now", not "this update is bad".
_STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES})
#: PostgreSQL SQLSTATEs (or their classes) that say the same: connection lost (08), read-only
#: (25006), serialization or deadlock (40001, 40P01), disk full or out of resources (53),
#: shutting down (57P), I/O error (58). asyncpg raises these as plain DBAPIErrors.
_STORAGE_SQLSTATES = ("08", "25006", "40001", "40P01", "53", "57P", "58")


#: SQLite's error names for the same (SQLITE_ERROR, a bad statement, is a bug, not storage).
_STORAGE_SQLITE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_CANTOPEN",
    "SQLITE_NOMEM",
    "SQLITE_PROTOCOL",
)


def storage_failure(exc: BaseException) -> bool:
    """True when `exc` says the database or the disk could not take the update."""
    if isinstance(exc, sa.OperationalError):
        name = getattr(exc.orig, "sqlite_errorname", None)
        return not isinstance(name, str) or name.startswith(_STORAGE_SQLITE)
    if isinstance(exc, sa.InterfaceError | sa.TimeoutError):
        return True  # connection lost, pool exhausted
    if isinstance(exc, sa.DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_STORAGE_SQLSTATES):
            return True
    if isinstance(exc, ConnectionError | TimeoutError):
        return True  # the database server refused or did not answer the connection
    return isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS
