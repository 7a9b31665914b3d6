"""The workspace's own small model: a coordinator's saved inbox filters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """A named set of inbox filters (the query string of /kerja/kotak-masuk/), shown with
    its live count beside the fixed views. Only its owner sees, uses or deletes it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("nama"), max_length=60)
    query = models.CharField(_("saringan"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saringan tersimpan")
        verbose_name_plural = _("saringan tersimpan")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_unique_name")]

    def __str__(self):
        return self.name
