"""What the API answers. Reporter identity appears in exactly one place, the staff report
detail's ``reporter`` (api/views_staff.py decides, through reports/access.py); the
resident and list views never carry it."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports import access
from reports.models import Attachment, Disposition, Referral, Report, ReportEvent


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _named(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)


class RegionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)


# ---------------------------------------------------------------------------- residents


class SubmittedSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    secret = serializers.CharField(help_text="Kunci pribadi pelapor untuk /api/v1/resident/reports/{secret}/.")
    status = serializers.CharField()


class TimelineAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    url = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()
    who = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    attachments = TimelineAttachmentSerializer(many=True)


class DeadlineSerializer(serializers.Serializer):
    text = serializers.CharField()
    overdue = serializers.BooleanField()


class ResidentReportSerializer(serializers.Serializer):
    """The reporter's own view of their report (what the portal's tracking page shows)."""

    tracking_number = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField()
    category = NamedSerializer(allow_null=True)
    region = NamedSerializer(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    received_at = serializers.DateTimeField()
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    question = serializers.CharField(allow_blank=True, help_text="Pertanyaan unit bila laporan ditunda.")
    agencies = serializers.ListField(child=serializers.CharField())
    deadlines = DeadlineSerializer(many=True)
    rating = serializers.IntegerField(allow_null=True)
    timeline = TimelineEntrySerializer(many=True)
    files = TimelineAttachmentSerializer(many=True)
    allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=["reply", "confirm", "dispute", "rate", "objection"]),
        help_text="Tindakan yang dapat dilakukan pelapor sekarang.",
    )


def resident_attachment(attachment, secret):
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "url": reverse("portal:track_attachment", args=[secret, attachment.pk]),
    }


# ---------------------------------------------------------------------------- staff


class ReferralSerializer(serializers.ModelSerializer):
    """A report referred to another government of the installation (reports/actions/
    referrals.py): what the refer and return-referral actions answer."""

    report = serializers.IntegerField(source="report_id")
    tracking_number = serializers.CharField(source="report.tracking_number")
    from_government = serializers.CharField(source="from_government.name")
    to_government = serializers.CharField(source="to_government.name")

    class Meta:
        model = Referral
        fields = [
            "id",
            "report",
            "tracking_number",
            "from_government",
            "to_government",
            "state",
            "reason",
            "referred_at",
            "return_reason",
            "returned_at",
        ]


class DispositionSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    instruction = serializers.SerializerMethodField()
    report = serializers.IntegerField(source="report_id")
    tracking_number = serializers.CharField(source="report.tracking_number")
    is_overdue = serializers.BooleanField()
    next_due_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = Disposition
        fields = [
            "id",
            "report",
            "tracking_number",
            "agency",
            "role",
            "state",
            "is_active",
            "instruction",
            "created_at",
            "follow_up_due_at",
            "resolution_due_at",
            "next_due_at",
            "first_follow_up_at",
            "done_at",
            "returned_at",
            "return_reason",
            "is_overdue",
        ]

    @extend_schema_field(NamedSerializer)
    def get_agency(self, obj):
        return _named(obj.agency)

    def get_instruction(self, obj) -> str:
        # The API has no reveal: an anonymous report's texts are read masked here.
        return access.Reading(masked=obj.report.is_anonymous, names=(obj.report.reporter_name,)).text(obj.instruction)


class StaffAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    event = serializers.IntegerField(source="event_id", allow_null=True)

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "is_public", "event", "url"]

    def get_url(self, obj) -> str:
        return reverse("api:staff-attachment", args=[obj.pk])


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # Set by the view through reports/access.py: the message as this reader may read it.
    message = serializers.CharField(source="shown_message", read_only=True, allow_blank=True)
    agency = serializers.SerializerMethodField()
    disposition = serializers.IntegerField(source="disposition_id", allow_null=True)

    class Meta:
        model = ReportEvent
        fields = [
            "id",
            "action",
            "actor",
            "actor_role",
            "agency",
            "disposition",
            "from_status",
            "to_status",
            "message",
            "is_public",
            "audience",
            "created_at",
        ]

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_agency(self, obj):
        return _named(obj.agency)


REPORT_FIELDS = [
    "id",
    "tracking_number",
    "kind",
    "channel",
    "status",
    "title",
    "description",
    "category",
    "region",
    "address",
    "latitude",
    "longitude",
    "is_anonymous",
    "is_confidential",
    "received_at",
    "due_at",
    "deadline",
    "is_overdue",
    "return_count",
    "reopen_count",
    "rating",
]


class ReportListSerializer(serializers.ModelSerializer):
    # Set by the view through reports/access.py: the report's words as this reader may read
    # them (masked on an anonymous report).
    title = serializers.CharField(source="shown_words.title", read_only=True, allow_blank=True)
    description = serializers.CharField(source="shown_words.description", read_only=True)
    address = serializers.CharField(source="shown_words.address", read_only=True, allow_blank=True)
    category = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    deadline = serializers.DateTimeField(allow_null=True, read_only=True, help_text="Tenggat yang berlaku sekarang.")
    is_overdue = serializers.SerializerMethodField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Report
        fields = REPORT_FIELDS

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_category(self, obj):
        return _named(obj.category)

    @extend_schema_field(NamedSerializer(allow_null=True))
    def get_region(self, obj):
        return _named(obj.region)

    def get_is_overdue(self, obj) -> bool:
        # The clock stops on hold (as on the workspace's lists).
        deadline = getattr(obj, "deadline", None)
        return bool(deadline and deadline < self.context["now"] and obj.status != "on_hold")


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    account = serializers.CharField(allow_blank=True)


class ReportDetailSerializer(ReportListSerializer):
    reporter = serializers.SerializerMethodField(
        help_text="Identitas pelapor: hanya bila boleh dilihat, dan tidak pernah untuk laporan anonim."
    )
    dispositions = DispositionSerializer(many=True, source="disposition_list")
    events = EventSerializer(many=True, source="event_list")
    attachments = StaffAttachmentSerializer(many=True, source="attachment_list")
    allowed_actions = serializers.ListField(child=serializers.CharField(), source="allowed_list")
    question = serializers.CharField(source="hold_question", allow_blank=True)
    archive_reason = serializers.CharField(allow_blank=True)
    referral_note = serializers.CharField(allow_blank=True)

    class Meta:
        model = Report
        fields = [
            *REPORT_FIELDS,
            "reporter",
            "question",
            "archive_reason",
            "referral_note",
            "dispositions",
            "events",
            "attachments",
            "allowed_actions",
        ]

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, obj):
        if not self.context.get("show_identity") or obj.is_anonymous:
            return None
        return {
            "name": obj.reporter_name,
            "phone": obj.reporter_phone,
            "email": obj.reporter_email,
            "account": obj.reporter_account,
        }


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Nama perangkat/aplikasi.")
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Kode verifikasi dua langkah (6 angka dari aplikasi autentikator, atau satu kode pemulihan); "
        "wajib bila akun memakai verifikasi dua langkah.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Ditampilkan sekali ini saja; simpan dengan aman.")
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
