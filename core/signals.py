from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import workdays
from core.models import CalendarEntry


@receiver([post_save, post_delete], sender=CalendarEntry)
def calendar_entry_changed(**kwargs):
    workdays.calendar_changed()
