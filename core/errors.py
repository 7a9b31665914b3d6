"""The domain errors every app's actions raise and every view turns into a message:
DomainError (refused, with a reason), InvalidTransition (not in this state), NotAllowed
(not this actor). The lowest layer owns them, so agencies and staffing need not import reports."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """An action refused; ``message`` is shown to the user as it is."""

    default_message = _("Tindakan ini tidak dapat dilakukan.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    default_message = _("Tindakan ini tidak dapat dilakukan pada status laporan saat ini.")


class NotAllowed(DomainError):
    default_message = _("Anda tidak berwenang melakukan tindakan ini.")
