"""The end-appointment page on the administrator's Appointment list: ending an
appointment (mutasi, pensiun, lainnya) hands the person's open work over, which is
staffing's business, so the page lives here and extends agencies' AppointmentAdmin."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.admin import AppointmentAdmin as BaseAppointmentAdmin
from agencies.models import Appointment
from core.errors import DomainError
from reports.models import OPEN_DISPOSITION_STATES
from staffing.actions import DOER_ROLES, end_appointment
from staffing.forms import EndAppointmentForm
from staffing.models import Assignment

admin.site.unregister(Appointment)


@admin.register(Appointment)
class AppointmentAdmin(BaseAppointmentAdmin):
    list_display = [*BaseAppointmentAdmin.list_display, "end_link"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/akhiri/",
                self.admin_site.admin_view(self.end_view),
                name="agencies_appointment_end",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("akhiri"))
    def end_link(self, obj):
        if obj.end_kind or not obj.is_active():
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:agencies_appointment_end", args=[obj.pk]), gettext("Akhiri")
        )

    def end_view(self, request, pk):
        """End an appointment (mutasi, pensiun, lainnya) and hand over the person's work."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        appointment = get_object_or_404(Appointment.objects.select_related("person", "agency"), pk=pk)
        successors = (
            type(appointment.person)
            .objects.filter(
                appointments__in=Appointment.objects.active().filter(agency=appointment.agency, role__in=DOER_ROLES),
                is_active=True,
            )
            .exclude(pk=appointment.person_id)
            .distinct()
            .order_by("first_name", "username")
        )
        form = EndAppointmentForm(request.POST or None, successors=successors)
        if request.method == "POST" and form.is_valid():
            try:
                end_appointment(
                    appointment,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    at=form.cleaned_data["ends_at"],
                    note=form.cleaned_data["note"],
                    successor=form.cleaned_data["successor"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, gettext("Penunjukan %(name)s diakhiri.") % {"name": appointment})
                return redirect("admin:agencies_appointment_changelist")
        open_work = Assignment.objects.filter(
            person=appointment.person,
            disposition__agency=appointment.agency,
            disposition__is_active=True,
            disposition__state__in=OPEN_DISPOSITION_STATES,
        ).count()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Akhiri penunjukan"),
            "appointment": appointment,
            "form": form,
            "open_work": open_work,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/agencies/appointment/end.html", context)
