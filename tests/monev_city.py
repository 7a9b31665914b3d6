"""A small fixture city for the monev tests, built through reports.actions at fixed times
(March–April 2026; Good Friday, 3 April 2026, is a national holiday).

The hand-computed figures the tests expect are written beside each step:

R1  received Mon 30 Mar, verified the same day, disposed Tue 31 Mar to DPUPR; first
    follow-up Thu 2 Apr (2 working days), finished Mon 6 Apr (3 working days: 1, 2 and 6
    Apr; due Wed 8 Apr, on time); rated 5 on 7 Apr. Crosses the March/April boundary.
R2  received Wed 1 Apr, verified, disposed Thu 2 Apr to DPUPR; follow-up Mon 6 Apr (1
    working day across Good Friday); finished Tue 14 Apr (7 working days, due Fri 10 Apr:
    late); disputed (reopened) Wed 15 Apr.
R3  received Mon 6 Apr, verified Fri 10 Apr (due Thu 9 Apr: late), disposed to Dishub,
    returned Mon 13 Apr (not their authority), disposed to DPUPR the same day; follow-up
    Mon 20 Apr (5 working days, due that day: on time).
R4  received Tue 7 Apr by WhatsApp, anonymous and confidential, with a name, phone number
    and NIK in its text; archived as spam the same day.
R5  an information request received Wed 8 Apr by WhatsApp, verified and disposed to DPUPR
    the same day; answered and finished Thu 9 Apr (1 working day, on time); confirmed and
    rated 4 on Fri 10 Apr.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from agencies.models import Appointment
from reports import actions
from reports.models import Channel, Kind
from tests import factory

JAKARTA = ZoneInfo("Asia/Jakarta")
SECRET_NAME = "Bambang Sutejo"
SECRET_PHONE = "081398765432"
SECRET_NIK = "3572011203850004"


def at(day, hour=10):
    return dt.datetime(2026, *day, hour, 0, tzinfo=JAKARTA)


def build(case):
    """Make R1–R5 with the personas of ``case`` (an AduanTestCase) and return them."""
    Appointment.objects.update(valid_from=dt.datetime(2025, 1, 1, tzinfo=JAKARTA))
    coordinator, pw, transport = case.coordinator, case.public_works, case.transport
    pw_liaison, transport_liaison = case.pw_liaison, case.transport_liaison

    def step(day, hour=10):
        return time_machine.travel(at(day, hour), tick=False)

    def make_report(**overrides):
        overrides.setdefault("category", case.category)
        overrides.setdefault("region", case.kelurahan)
        return factory.make_report(**overrides)

    def disposition(report, agency):
        return report.dispositions.get(agency=agency, is_active=True)

    with step((3, 30)):
        r1 = make_report()
        actions.verify_report(r1, actor=coordinator)
    with step((3, 31)):
        actions.dispose_report(r1, actor=coordinator, lead_agency=pw)
    with step((4, 1)):
        r2 = make_report(region=case.other_kelurahan)
        actions.verify_report(r2, actor=coordinator)
    with step((4, 2)):
        actions.post_follow_up(disposition(r1, pw), actor=pw_liaison, message="Petugas sudah ke lokasi.")
        actions.dispose_report(r2, actor=coordinator, lead_agency=pw)
    with step((4, 6)):
        actions.finish_disposition(disposition(r1, pw), actor=pw_liaison, message="Lampu sudah diganti.")
        actions.post_follow_up(disposition(r2, pw), actor=pw_liaison, message="Kami jadwalkan perbaikan.")
        r3 = make_report(category=case.other_category)
    with step((4, 7)):
        actions.rate_report(r1, actor=factory.reporter_of(r1), rating=5)
        r4 = make_report(
            channel=Channel.WHATSAPP,
            is_anonymous=True,
            is_confidential=True,
            reporter_name=SECRET_NAME,
            reporter_phone=SECRET_PHONE,
            description=f"Saya {SECRET_NAME}, NIK {SECRET_NIK}, HP {SECRET_PHONE}: pungutan liar di kelurahan.",
        )
        actions.archive_report(r4, actor=coordinator, reason="spam")
    with step((4, 8)):
        r5 = make_report(
            kind=Kind.INFORMATION_REQUEST, channel=Channel.WHATSAPP, description="Minta data anggaran PJU 2025."
        )
        actions.verify_report(r5, actor=coordinator)
        actions.dispose_report(r5, actor=coordinator, lead_agency=pw)
    with step((4, 9)):
        actions.finish_disposition(disposition(r5, pw), actor=pw_liaison, message="Data terlampir.")
    with step((4, 10)):
        actions.confirm_resolution(r5, actor=factory.reporter_of(r5))
        actions.rate_report(r5, actor=factory.reporter_of(r5), rating=4)
        actions.verify_report(r3, actor=coordinator)
        actions.dispose_report(r3, actor=coordinator, lead_agency=transport)
    with step((4, 13)):
        actions.return_disposition(disposition(r3, transport), actor=transport_liaison, reason="Bukan wewenang Dishub.")
        actions.dispose_report(r3, actor=coordinator, lead_agency=pw)
    with step((4, 14)):
        actions.finish_disposition(disposition(r2, pw), actor=pw_liaison, message="Jalan sudah ditambal.")
    with step((4, 15)):
        actions.dispute_resolution(r2, actor=factory.reporter_of(r2), reason="Masih berlubang.")
    with step((4, 20)):
        actions.post_follow_up(disposition(r3, pw), actor=pw_liaison, message="Sedang kami tangani.")
    return r1, r2, r3, r4, r5
