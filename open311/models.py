"""Open311 GeoReport v2 beside the report domain: the questions the administrator asks per
category (service attributes), the answers given with a report, and what an API client
sent with a request that Report has no field for (token, address_id, media_url, …)."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apikeys.models import ApiKey
from reports.models import Category, Report


class Datatype(models.TextChoices):
    STRING = "string", _("Teks pendek")
    NUMBER = "number", _("Angka")
    DATETIME = "datetime", _("Tanggal dan waktu")
    TEXT = "text", _("Teks panjang")
    SINGLE = "singlevaluelist", _("Pilih satu")
    MULTI = "multivaluelist", _("Pilih beberapa")


LIST_TYPES = (Datatype.SINGLE, Datatype.MULTI)


class ServiceAttribute(models.Model):
    """A category-specific question (Open311 ``attribute``)."""

    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.CASCADE, related_name="service_attributes"
    )
    code = models.SlugField(_("kode"), max_length=50, help_text=_("Huruf kecil, angka, - dan _; unik per kategori."))
    description = models.CharField(_("pertanyaan"), max_length=300)
    datatype = models.CharField(_("jenis isian"), max_length=16, choices=Datatype.choices, default=Datatype.STRING)
    datatype_description = models.CharField(_("petunjuk isian"), max_length=300, blank=True)
    required = models.BooleanField(_("wajib diisi"), default=False)
    variable = models.BooleanField(
        _("perlu jawaban"), default=True, help_text=_("Matikan untuk keterangan yang hanya ditampilkan.")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["category", "order", "pk"]
        verbose_name = _("pertanyaan layanan (Open311)")
        verbose_name_plural = _("pertanyaan layanan (Open311)")
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_unique_code")]

    def __str__(self):
        return f"{self.category}: {self.code}"


class AttributeValue(models.Model):
    """One option of a single- or multi-value list question."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("kunci"), max_length=50)
    name = models.CharField(_("label"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)

    class Meta:
        ordering = ["attribute", "order", "pk"]
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_unique_key")]

    def __str__(self):
        return self.name


class AttributeAnswer(models.Model):
    """The answer to one question, stored with the report (staff only; never published)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attribute_answers")
    attribute = models.ForeignKey(
        ServiceAttribute, verbose_name=_("pertanyaan"), on_delete=models.PROTECT, related_name="answers"
    )
    # A string, or a list of keys for a multi-value list.
    value = models.JSONField(_("jawaban"))

    class Meta:
        ordering = ["report", "attribute__order", "pk"]
        verbose_name = _("jawaban pertanyaan layanan")
        verbose_name_plural = _("jawaban pertanyaan layanan")
        constraints = [models.UniqueConstraint(fields=["report", "attribute"], name="open311_answer_unique_attribute")]

    def __str__(self):
        return f"{self.attribute.code}={self.value}"


def new_token() -> str:
    return secrets.token_urlsafe(16)


class ServiceRequest(models.Model):
    """What came with a report submitted through Open311, beside the report itself."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="open311")
    api_key = models.ForeignKey(ApiKey, verbose_name=_("kunci API"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    address_id = models.CharField(_("address_id"), max_length=100, blank=True)
    media_url = models.URLField(_("media_url"), max_length=500, blank=True)
    # Identifiers of the submitting device and account in the client app: personal data,
    # kept for staff and never published.
    device_id = models.CharField(_("device_id"), max_length=100, blank=True)
    account_id = models.CharField(_("account_id"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("permintaan Open311")
        verbose_name_plural = _("permintaan Open311")

    def __str__(self):
        return str(self.report)
