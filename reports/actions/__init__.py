"""Every change to a report or a disposition happens here, and only here.

Each action: runs in one transaction, re-reads the report with ``select_for_update()``,
checks the transition against reports/workflow.py, saves with ``update_fields``, writes a
ReportEvent, and leaves side effects (notifications) to ``transaction.on_commit`` through
the ``event_recorded`` signal.

One module per stage of the life cycle; ``reports.actions`` exports every action, so
callers never need to know which:

- ``events``        locking, the one writer of ReportEvent rows, attachments, tracking
                    numbers — the seam other apps' actions build on;
- ``intake``        ``submit_report``, the one door of every channel;
- ``screening``     the coordinator's verify, classify, hold, archive, notes; the
                    reporter's answers and messages;
- ``dispositions``  dispose (also verify-and-dispose in one step), follow up, finish,
                    return, extend an information request;
- ``closing``       confirm, dispute, rate, objection, close, the automatic close;
- ``ownership``     which coordinator is on a report: take, assign, release;
- ``bulk``          one action on many reports, each in its own transaction;
- ``support``       a resident's "Saya juga mengalami ini" on a public report;
- ``units``         dispose down to an agency's units, and their return up to it;
- ``referrals``     refer a report to another government of the installation, and
                    its return (the report moves between governments);
- ``external``      mirroring SP4N-LAPOR!'s state, and its reports stored in bulk.

Modules import ``events`` (and ``external`` imports ``intake``, ``dispositions`` imports
``screening`` for verify-and-dispose and ``units`` for what ends below a disposition),
never each other in a circle; the deadline arithmetic they use lives in
reports/deadlines.py.
"""

from reports.actions.bulk import Outcome, apply_to_each
from reports.actions.closing import (
    answer_objection,
    auto_close_due_reports,
    close_report,
    confirm_resolution,
    dispute_resolution,
    file_objection,
    rate_report,
)
from reports.actions.dispositions import (
    dispose_report,
    extend_information_request,
    finish_disposition,
    post_follow_up,
    return_disposition,
    verify_and_dispose,
)
from reports.actions.events import record_event
from reports.actions.external import DISPOSITION_STATE, ExternalState, mirror_external_state, submit_external_reports
from reports.actions.intake import PORTAL_CHANNELS, reporter_language, submit_report
from reports.actions.ownership import assign_report, release_report, take_report
from reports.actions.referrals import refer_report, return_referral
from reports.actions.screening import (
    CLASSIFICATION_FIELDS,
    add_internal_note,
    add_reporter_message,
    archive_report,
    classify_report,
    hold_report,
    note_lost_media,
    reply_as_reporter,
    verify_report,
)
from reports.actions.support import SupportOutcome, support_report
from reports.actions.units import forward_to_unit, return_to_agency

__all__ = [
    "CLASSIFICATION_FIELDS",
    "DISPOSITION_STATE",
    "PORTAL_CHANNELS",
    "ExternalState",
    "Outcome",
    "SupportOutcome",
    "add_internal_note",
    "add_reporter_message",
    "answer_objection",
    "apply_to_each",
    "archive_report",
    "assign_report",
    "auto_close_due_reports",
    "classify_report",
    "close_report",
    "confirm_resolution",
    "dispose_report",
    "dispute_resolution",
    "extend_information_request",
    "file_objection",
    "forward_to_unit",
    "finish_disposition",
    "hold_report",
    "mirror_external_state",
    "note_lost_media",
    "post_follow_up",
    "rate_report",
    "release_report",
    "record_event",
    "refer_report",
    "reply_as_reporter",
    "reporter_language",
    "return_disposition",
    "return_referral",
    "return_to_agency",
    "submit_external_reports",
    "submit_report",
    "support_report",
    "take_report",
    "verify_and_dispose",
    "verify_report",
]
