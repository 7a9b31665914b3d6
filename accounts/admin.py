"""The user list of the admin site gains what the system administrator needs when a staff
member is stuck: unlock the login (django-axes) and reset two-factor authentication when a
phone is lost. The devices and login attempts have their own admin pages too (django-otp's
TOTP and static devices, axes' access attempts and logs)."""

from axes.utils import reset as reset_login_attempts
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "uses_two_factor"]
    actions = ["unlock_login", "reset_two_factor"]

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_authenticator=Exists(confirmed))

    @admin.display(boolean=True, description=_("2FA"), ordering="has_authenticator")
    def uses_two_factor(self, user):
        return user.has_authenticator

    @admin.action(description=_("Buka kunci login (setelah terlalu banyak kata sandi salah)"))
    def unlock_login(self, request, queryset):
        for user in queryset:
            reset_login_attempts(username=user.get_username())
        self.message_user(request, gettext("Kunci login dibuka untuk: %(names)s.") % {"names": _names(queryset)})

    @admin.action(description=_("Atur ulang verifikasi dua langkah (ponsel hilang)"))
    def reset_two_factor(self, request, queryset):
        count = 0
        for user in queryset:
            if twofactor.remove_devices(user):
                count += 1
        message = gettext(
            "Verifikasi dua langkah diatur ulang untuk %(count)d akun: aplikasi dan kode pemulihannya tidak "
            "berlaku lagi; pemiliknya memasang yang baru saat masuk berikutnya."
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS if count else messages.INFO)


def _names(queryset):
    return ", ".join(sorted(user.get_username() for user in queryset))


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
