"""The report itself: its words and their masked twins, its deadline, its search, and the
tracking-number counter."""

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Upper
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from core import phones
from core.masking import mask_personal_data
from governments.models import installation_government
from reports.models.catalogue import ArchiveReason, Category, Channel, Kind, ReplyChannel, ResolutionClass, Status
from reports.models.disposition import Disposition


def new_secret() -> str:
    return secrets.token_urlsafe(24)


# States in which the coordinator holds the report (its own deadline runs on Report.due_at).
COORDINATOR_STATES = ["received", "verified"]
OPEN_STATES = ["received", "on_hold", "verified", "disposed", "in_progress", "resolved", "objection"]
# The states whose reports have a deadline (deadline_expression): every other report's
# current_deadline is NULL.
WITH_DEADLINE_STATES = ["received", "verified", "on_hold", "objection", "disposed", "in_progress"]
PUBLIC_STATES = ["verified", "disposed", "in_progress", "resolved", "closed", "objection"]


# A report's words and their masked twins (core/masking.py), kept in step by Report.save().
MASKED_FIELDS = {"title": "masked_title", "description": "masked_description", "address": "masked_address"}
# Changing any of these changes the masked words (the reporter's name is masked in them).
MASKED_SOURCES = {*MASKED_FIELDS, "reporter_name"}


# A tracking number (reports.actions.events._next_tracking_numbers: PREFIX-YEAR-NNNNNN) or
# its start down to the year, upper-cased and without spaces.
TRACKING_NUMBER_START = re.compile(r"[A-Z][A-Z0-9]*-\d{4}(-\d*)?")
# Part of a tracking number without its prefix (``2026-000123``, ``000123``): upper-cased,
# without spaces, with a digit and at least three characters (a trigram).
TRACKING_NUMBER_PART = re.compile(r"(?=.*\d)[A-Z0-9-]{3,32}")
SEARCH_CONFIG = "indonesian"


def search_vector(fields):
    """The words of ``fields`` as one tsvector: the expression of the GIN indexes
    report_masked_words_search and report_own_words_search (migration 0013), which the
    planner uses only when the query spells it the same way."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, config=SEARCH_CONFIG)


def _contains_any(fields, text) -> Q:
    return Q(*[(f"{field}__icontains", text) for field in fields], _connector=Q.OR)


def deadline_expression():
    """The deadline that matters for a report now, as one SQL expression over the report's
    row (``with_deadline`` annotates it, ``refresh_current_deadline`` stores it)."""
    disposition_due = (
        Disposition.objects.open()
        .filter(report=OuterRef("pk"))
        .with_next_due()
        .order_by(F("next_due").asc(nulls_last=True))
        .values("next_due")[:1]
    )
    return Case(
        When(status__in=[*COORDINATOR_STATES, "on_hold"], then=F("due_at")),
        When(status="objection", then=F("objection_due_at")),
        When(status__in=["disposed", "in_progress"], then=Subquery(disposition_due)),
        default=Value(None),
        output_field=models.DateTimeField(),
    )


# Reports per UPDATE when refreshing many (the LAPOR! import, the data migration).
DEADLINE_BATCH = 1000


def refresh_current_deadline(report_ids) -> None:
    """Store ``with_deadline()``'s answer in ``Report.current_deadline`` for ``report_ids``:
    one UPDATE per batch. Every action that changes an input of it (a report's status,
    ``due_at`` or ``objection_due_at``; a disposition created, answered, finished,
    returned, superseded or given a new deadline) calls this after its writes."""
    ids = list(report_ids)
    for start in range(0, len(ids), DEADLINE_BATCH):
        Report.objects.filter(pk__in=ids[start : start + DEADLINE_BATCH]).update(current_deadline=deadline_expression())


class ReportQuerySet(models.QuerySet):
    def public(self):
        """What anyone may browse: verified onward, never confidential, never archived."""
        return self.filter(status__in=PUBLIC_STATES, is_confidential=False)

    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def overdue(self, at=None):
        at = at or timezone.now()
        late_disposition = Disposition.objects.filter(report=OuterRef("pk")).overdue(at)
        return self.filter(
            Q(status__in=COORDINATOR_STATES, due_at__lt=at)
            | Q(status="objection", objection_due_at__lt=at)
            | Q(Exists(late_disposition), status__in=["verified", "disposed", "in_progress"])
        )

    def with_deadline(self):
        """Annotate ``deadline``, the one that matters for a report now: the coordinator's
        (also on hold), an objection's, or the nearest of its open dispositions'; none for
        a resolved, closed or archived report. Computed from the report's and its
        dispositions' own deadlines; the inboxes sort by its stored copy,
        ``Report.current_deadline`` (kept by refresh_current_deadline)."""
        return self.annotate(deadline=deadline_expression())

    def with_current_deadline(self):
        """``deadline`` as with_deadline() annotates it, read from the stored column: what a
        list sorts by, served by the (status, current_deadline) index."""
        return self.annotate(deadline=F("current_deadline"))

    def search(self, text, *, own_words=None):
        """Reports whose tracking number or words match ``text``. ``own_words`` selects the
        reports whose own words may be searched (a Q: those the reader reads unmasked, see
        reports/access.py); every other report is searched by its masked words, so a NIK,
        phone number, email or name that is masked where the reader sees the report does
        not find it either. None: masked words only (the public).

        Text that looks like a tracking number (or its start: ``BLT-2026``, ``blt-2026-0012``)
        finds the numbers that start with it, and only those. Other text is a word search
        that also finds the tracking numbers containing it; on PostgreSQL it is the
        expression the GIN indexes of migration 0013 hold (``search_vector``), so the plan
        reads an index instead of vectorising every row, and the tracking numbers are
        searched only for text with a digit (part of a number typed without its prefix),
        through the trigram index of migration 0015."""
        text = (text or "").strip()
        if not text:
            return self
        number = "".join(text.split()).upper()
        if TRACKING_NUMBER_START.fullmatch(number):
            # UPPER(tracking_number) LIKE 'BLT-2026-0012%': report_tracking_number_prefix.
            return self.alias(_number=Upper("tracking_number")).filter(_number__startswith=number)
        if self.filter(tracking_number__iexact=text).exists():
            return self.filter(tracking_number__iexact=text)
        from django.db import connection

        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery

            query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
            reports = self.alias(_masked=search_vector(MASKED_FIELDS.values()))
            words = Q(_masked=query)
            if own_words is not None:
                reports = reports.alias(_own=search_vector(MASKED_FIELDS))
                words = (own_words & Q(_own=query)) | (~own_words & words)
            if TRACKING_NUMBER_PART.fullmatch(number):
                # A number typed without its prefix, as SQLite's LIKE below finds it:
                # UPPER(tracking_number) LIKE '%2026-0012%', report_tracking_number_trigram.
                reports = reports.alias(_number=Upper("tracking_number"))
                words |= Q(_number__contains=number)
            return reports.filter(words)
        masked_match = _contains_any(MASKED_FIELDS.values(), text)
        own_match = _contains_any(MASKED_FIELDS, text)
        words = masked_match if own_words is None else (own_words & own_match) | (~own_words & masked_match)
        return self.filter(words | Q(tracking_number__icontains=text))


def _label(labels, value):
    """What get_FOO_display answers: the choice's label in the active language, else the value."""
    return force_str(labels.get(value, value), strings_only=True)


class Report(models.Model):
    government = models.ForeignKey(
        "governments.Government",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="reports",
        default=installation_government,
    )
    tracking_number = models.CharField(_("nomor pelacakan"), max_length=32, unique=True)
    secret = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("kanal"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    channel_reference = models.CharField(_("referensi kanal"), max_length=200, blank=True)
    # The submitting form's one-time key (or the API's Idempotency-Key): the same key sent
    # again returns this report instead of a second one (reports.actions.submit_report).
    submission_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)

    title = models.CharField(_("judul"), max_length=200, blank=True)
    description = models.TextField(_("isi laporan"))
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    resolution_class = models.CharField(
        _("kelas tenggat"), max_length=16, choices=ResolutionClass.choices, default=ResolutionClass.SIMPLE
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    address = models.CharField(_("alamat / patokan"), max_length=300, blank=True)
    # The same words with personal data masked, the reporter's name included: what the
    # public reads and searches, and what staff read of an anonymous report unless a
    # coordinator reveals it (reports/access.py). Kept in step by save().
    masked_title = models.TextField(blank=True, editable=False)
    masked_description = models.TextField(blank=True, editable=False)
    masked_address = models.TextField(blank=True, editable=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False)
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=32, blank=True)
    # The same number in E.164 (core/phones.py), kept by save(): what lookups compare, indexed.
    reporter_phone_e164 = models.CharField(max_length=16, blank=True, db_index=True, editable=False)
    reporter_email = models.EmailField(_("email pelapor"), blank=True)
    # The reporter's account on a chat or social channel (Instagram: the Instagram-scoped
    # user id): personal data, shown only where the reporter's identity may be shown.
    reporter_account = models.CharField(_("akun pelapor"), max_length=200, blank=True)
    reply_channel = models.CharField(
        _("kanal balasan"), max_length=16, choices=ReplyChannel.choices, default=ReplyChannel.NONE
    )
    # The language the reporter reads: the portal's language at submission (web), else
    # Indonesian. Messages to the reporter (notify/) are written in it.
    language = models.CharField(_("bahasa pelapor"), max_length=8, choices=settings.LANGUAGES, default="id")

    received_at = models.DateTimeField(_("diterima pada"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The coordinator who took the report or was assigned it (reports/actions/ownership.py):
    # a claim that tells colleagues who is on it, not a lock; every coordinator may still act.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_reports",
    )

    # The coordinator's current deadline (verify/dispose); paused while on hold.
    due_at = models.DateTimeField(_("tenggat"), null=True, blank=True, db_index=True)
    held_from = models.CharField(max_length=16, blank=True)
    hold_started_at = models.DateTimeField(null=True, blank=True)
    hold_question = models.TextField(_("pertanyaan untuk pelapor"), blank=True)
    # The deadline that matters now, exactly what ReportQuerySet.with_deadline() computes,
    # stored so the inbox sorts by an index (issue 21); kept by refresh_current_deadline.
    current_deadline = models.DateTimeField(null=True, blank=True, editable=False)
    # Triage's urgency flag (triage.models.ReportTriage.is_urgent), copied here by triage's
    # actions so the coordinator's queue (danger first, then deadlines) is one index walk.
    is_urgent = models.BooleanField(_("mendesak"), default=False, editable=False)

    verified_at = models.DateTimeField(null=True, blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    autoclose_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archive_reason = models.CharField(_("alasan arsip"), max_length=24, choices=ArchiveReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplikat dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    referral_note = models.TextField(_("catatan rujukan"), blank=True)

    return_count = models.PositiveIntegerField(_("jumlah pengembalian"), default=0)
    # Residents who said "Saya juga mengalami ini" (Support rows), kept by
    # reports.actions.support_report so the inbox sorts by it without a join.
    support_count = models.PositiveIntegerField(_("jumlah dukungan"), default=0)
    reopen_count = models.PositiveIntegerField(_("jumlah dibuka kembali"), default=0)

    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    # Information requests (UU 14/2008): answer deadline, one extension, objection.
    info_answer_due_at = models.DateTimeField(null=True, blank=True)
    info_extended_at = models.DateTimeField(null=True, blank=True)
    info_extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    objection_filed_at = models.DateTimeField(null=True, blank=True)
    objection_reason = models.TextField(_("alasan keberatan"), blank=True)
    objection_due_at = models.DateTimeField(null=True, blank=True)
    objection_answer = models.TextField(_("tanggapan atas keberatan"), blank=True)
    objection_answered_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    # value → lazy label of the fields get_FOO_display answers for (below).
    STATUS_LABELS = dict(Status.choices)
    CHANNEL_LABELS = dict(Channel.choices)
    KIND_LABELS = dict(Kind.choices)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        # The government first wherever a page filters by it (every staff page, through
        # reports/access.py, and Open311): in a province's installation a city's pages read
        # the city's entries, not every government's (issue 20, docs/performance.md,
        # "Province-sized").
        indexes = [
            models.Index(fields=["government", "status", "due_at"], name="report_gov_status_due"),
            models.Index(fields=["government", "status", "current_deadline"], name="report_gov_status_deadline"),
            # The queue's order (workspace.views._listed_reports: danger first, then the
            # deadline), over the reports that have a deadline: the first page of the inbox
            # reads its first entries instead of sorting every queued report (issue 21).
            # The status last: a page's status filter is read from the index, not the rows.
            models.Index(
                fields=["government", "-is_urgent", "current_deadline", "received_at", "id", "status"],
                name="report_gov_urgent_deadline",
                condition=Q(status__in=WITH_DEADLINE_STATES),
            ),
            # Open311's window (newest first) and the public lists of one government.
            models.Index(fields=["government", "-received_at"], name="report_gov_received"),
            # The inbox's view "Dikembalikan OPD" (counted on every inbox page): the few
            # reports an agency returned, not a walk through the whole queue.
            models.Index(fields=["status"], name="report_returned_status", condition=Q(return_count__gt=0)),
            models.Index(fields=["is_confidential", "status", "received_at"]),
            # Search looks a typed tracking number up case-insensitively first
            # (tracking_number__iexact: UPPER(tracking_number) = UPPER(%s) on PostgreSQL);
            # the unique index on the column itself cannot serve that.
            models.Index(Upper("tracking_number"), name="report_upper_tracking_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="report_rating_1_5"
            )
        ]

    def __str__(self):
        return self.tracking_number

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or MASKED_SOURCES.intersection(update_fields):
            self.refresh_masked_words()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *MASKED_FIELDS.values()}
        if update_fields is None or "reporter_phone" in update_fields:
            self.reporter_phone_e164 = phones.e164_or_blank(self.reporter_phone)
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "reporter_phone_e164"}
        super().save(*args, **kwargs)

    # The labels the lists draw on every row. Django's own get_FOO_display hashes every
    # choice's lazy label (a translation each) on every call: about 0.4 ms per row for
    # these two, a fifth of an inbox page's Python time.
    def get_status_display(self):
        return _label(Report.STATUS_LABELS, self.status)

    def get_channel_display(self):
        return _label(Report.CHANNEL_LABELS, self.channel)

    def get_kind_display(self):
        return _label(Report.KIND_LABELS, self.kind)

    @property
    def is_overdue(self):
        now = timezone.now()
        if self.status in COORDINATOR_STATES and self.due_at:
            return self.due_at < now
        return False

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    def refresh_masked_words(self):
        """Mask the title, description and address again (in the default language, so the
        labels do not depend on who saved it); bulk_create callers call this themselves."""
        with translation.override(settings.LANGUAGE_CODE):
            for field, masked in MASKED_FIELDS.items():
                setattr(self, masked, mask_personal_data(getattr(self, field), names=[self.reporter_name]))

    def words(self, *, masked: bool) -> "ReportWords":
        """The title, description and address as a reader sees them: masked or the reporter's
        own (reports/access.py decides which)."""
        if masked:
            return ReportWords(self.masked_title, self.masked_description, self.masked_address, masked=True)
        return ReportWords(self.title, self.description, self.address, masked=False)

    def headline(self, *, masked: bool) -> str:
        """The title, or the start of the description when there is none."""
        return self.words(masked=masked).headline


@dataclass(frozen=True)
class ReportWords:
    title: str
    description: str
    address: str
    masked: bool

    @property
    def headline(self) -> str:
        return self.title or (self.description[:80] + ("…" if len(self.description) > 80 else ""))


class TrackingCounter(models.Model):
    """The last tracking number issued per prefix and year; incremented inside the
    submitting transaction, so a rolled-back submission leaves no gap."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="tracking_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"
