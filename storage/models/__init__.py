"""Every table, importable from one place (Alembic autogenerate reads `Base.metadata`)."""

from storage.models.base import Base, utcnow
from storage.models.conversation import Conversation, ProcessedUpdate
from storage.models.dashboard import DashboardLink
from storage.models.invites import Invite, InviteFailure
from storage.models.org import Branch, District, GrassrootsUnit
from storage.models.outbox import OutboxMessage, SendSchedule
from storage.models.people import ChatIdentity, Person, Role, RoleAssignment
from storage.models.photo_flags import PhotoDoubt, PhotoFlag, PhotoMatch
from storage.models.reports import Evidence, MonthlyReport, ReportRevision, ReportStatus
from storage.models.youth import AuditEntry, YouthCase, YouthCaseEvent

__all__ = [
    "AuditEntry",
    "Base",
    "Branch",
    "ChatIdentity",
    "Conversation",
    "DashboardLink",
    "District",
    "Evidence",
    "GrassrootsUnit",
    "Invite",
    "InviteFailure",
    "MonthlyReport",
    "OutboxMessage",
    "Person",
    "PhotoDoubt",
    "PhotoFlag",
    "PhotoMatch",
    "ProcessedUpdate",
    "ReportRevision",
    "ReportStatus",
    "Role",
    "RoleAssignment",
    "SendSchedule",
    "YouthCase",
    "YouthCaseEvent",
    "utcnow",
]
