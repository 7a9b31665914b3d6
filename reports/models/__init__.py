"""Reports, their dispositions to agencies, the event rows that record every change, and
their attachments. Nothing here changes state: reports/actions/ does.

One module per subject: catalogue (the choices and categories), report (the report, its
deadline and search), disposition (a report forwarded to an agency), records (events,
attachments, identity reads, support), referral (a report referred to another
government). Everything is imported from ``reports.models``."""

from reports.models.catalogue import (
    MANUAL_CHANNELS,
    ArchiveReason,
    Audience,
    Category,
    Channel,
    Kind,
    ReplyChannel,
    ResolutionClass,
    Status,
)
from reports.models.disposition import OPEN_DISPOSITION_STATES, Disposition, DispositionQuerySet
from reports.models.records import Attachment, IdentityRead, ReportEvent, Support, attachment_path
from reports.models.referral import Referral, ReferralQuerySet
from reports.models.report import (
    COORDINATOR_STATES,
    DEADLINE_BATCH,
    MASKED_FIELDS,
    MASKED_SOURCES,
    OPEN_STATES,
    PUBLIC_STATES,
    SEARCH_CONFIG,
    TRACKING_NUMBER_PART,
    TRACKING_NUMBER_START,
    WITH_DEADLINE_STATES,
    Report,
    ReportQuerySet,
    ReportWords,
    TrackingCounter,
    deadline_expression,
    new_secret,
    refresh_current_deadline,
    search_vector,
)

__all__ = [
    "ArchiveReason",
    "Attachment",
    "Audience",
    "COORDINATOR_STATES",
    "Category",
    "Channel",
    "DEADLINE_BATCH",
    "Disposition",
    "DispositionQuerySet",
    "IdentityRead",
    "Kind",
    "MANUAL_CHANNELS",
    "MASKED_FIELDS",
    "MASKED_SOURCES",
    "OPEN_DISPOSITION_STATES",
    "OPEN_STATES",
    "PUBLIC_STATES",
    "ReplyChannel",
    "Referral",
    "ReferralQuerySet",
    "Report",
    "ReportEvent",
    "ReportQuerySet",
    "ReportWords",
    "ResolutionClass",
    "SEARCH_CONFIG",
    "Status",
    "Support",
    "TRACKING_NUMBER_PART",
    "TRACKING_NUMBER_START",
    "TrackingCounter",
    "WITH_DEADLINE_STATES",
    "attachment_path",
    "deadline_expression",
    "new_secret",
    "refresh_current_deadline",
    "search_vector",
]
