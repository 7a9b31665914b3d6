"""The demo's reports, story by story: which stories are told how often and when
(``STORIES``), what differs between the demo's cities (``Town``), and each report's life
told through reports.actions under the simulated clock (``_ReportBuilder``, ``_Story``).
The texts are in demo/texts.py."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone

from core.uploads import clean_bytes
from demo.clock import Clock, _office_hours, simulated_time
from demo.data import (
    CONFUSED_WITH,
    FIRST_NAMES,
    KECAMATAN_CENTRE,
    LANDMARKS,
    LAST_NAMES,
    STAFFED,
    STREETS,
)
from demo.texts import (
    ASPIRATIONS,
    COMPLAINTS,
    DISPUTES,
    DONE,
    DONE_ANY,
    HOLD_QUESTIONS,
    INFO_REQUESTS,
    INSTRUCTIONS,
    OBJECTIONS,
    OUTSIDE,
    PROGRESS,
    PROGRESS_ANY,
    RATING_COMMENTS,
    REPLIES,
    SPAM,
)
from reports import actions
from reports.access import Reporter
from reports.models import (
    ArchiveReason,
    Audience,
    Channel,
    Kind,
    ReplyChannel,
    Report,
    ResolutionClass,
    Status,
)

STORIES = {
    "received": (3, (2.5, 0.05)),
    "received_overdue": (1.5, (30, 6)),
    "on_hold": (2, (10, 0.5)),
    "verified": (1.5, (4, 0.5)),
    "verified_after_hold": (1.5, (10, 2)),
    "returned_waiting": (1, (12, 3)),
    "disputed_waiting": (1, (40, 16)),
    "disposed": (2, (6, 1)),
    "disposed_overdue": (1, (45, 12)),
    "in_progress": (5, (40, 3)),
    "resolved": (3, (12, 9)),
    "closed_confirmed": (20, (365, 15)),
    "closed_auto": (14, (365, 45)),
    "closed_disputed": (3, (365, 40)),
    "closed_returned": (3, (365, 30)),
    "closed_multi": (3, (365, 30)),
    "closed_by_coordinator": (2, (365, 20)),
    "info_closed_extended": (2, (365, 45)),
    "objection_open": (1, (45, 20)),
    "objection_answered": (1, (365, 90)),
    "archived_spam": (3, (365, 3)),
    "archived_unclear": (3, (365, 15)),
    "archived_duplicate": (2, (300, 3)),
    "archived_outside": (2, (365, 3)),
}
INFO_STORIES = {"info_closed_extended", "objection_open", "objection_answered"}
# Stories in which an information request fits as well as a complaint.
GENERIC_WITH_INFO = {"received", "disposed", "in_progress", "closed_confirmed", "closed_auto"}
CHANNELS = {
    Channel.WEB: 25,
    Channel.ANDROID: 15,
    Channel.WHATSAPP: 20,
    Channel.INSTAGRAM: 8,
    Channel.EMAIL: 5,
    Channel.SMS: 4,
    Channel.CALL_CENTER: 8,
    Channel.RADIO: 5,
    Channel.WALK_IN: 5,
    Channel.SOCIAL_MEDIA: 5,
}
# Channels whose reports a coordinator types in, with the original reference.
TYPED_IN = {
    Channel.CALL_CENTER: "Call center 112, penelepon pukul {time}",
    Channel.RADIO: "Radio Mayangkara FM, sesi interaktif {time}",
    Channel.WALK_IN: "Datang langsung ke ULPIM, {time}",
    Channel.SOCIAL_MEDIA: "Komentar di akun Instagram resmi Pemkot Blitar, {time}",
}


@dataclass
class Town:
    """What differs between the demo's cities when their reports are told: the government,
    who coordinates, which agencies are staffed (short name → username suffix), the map
    centres, streets and landmarks, the stories told and the categories complained about.
    Kota Blitar's is the default; demo/province.py makes Kota Kediri's."""

    government: object
    coordinators: tuple = ("koordinator", "koordinator2")
    staffed: dict = field(default_factory=lambda: STAFFED)
    centres: dict = field(default_factory=lambda: KECAMATAN_CENTRE)
    streets: list = field(default_factory=lambda: STREETS)
    landmarks: list = field(default_factory=lambda: LANDMARKS)
    confused_with: dict = field(default_factory=lambda: CONFUSED_WITH)
    complaint_keys: list = field(default_factory=lambda: [k for k in COMPLAINTS if k != "informasi"])
    stories: dict = field(default_factory=lambda: STORIES)
    typed_in: dict = field(default_factory=lambda: TYPED_IN)
    info_requests: bool = True
    # The texts name Kota Blitar: (old, new) pairs for another city.
    renames: tuple = ()

    def local(self, text):
        for old, new in self.renames:
            text = text.replace(old, new)
        return text


@dataclass
class _Plan:
    story: str
    start: dt.datetime


class _ReportBuilder:
    def __init__(self, rng, now, regions, agencies, categories, users, town):
        self.town = town
        self.rng = rng
        self.now = now
        self.regions = regions
        self.agencies = agencies
        self.categories = categories
        self.users = users
        self.clock = Clock(moment=now - dt.timedelta(days=400), limit=now - dt.timedelta(minutes=1))
        self.finished = []  # (end moment, report) of every story told so far, for duplicates

    def run(self, count):
        with simulated_time(self.clock):
            for plan in sorted(self._plans(count), key=lambda p: p.start):
                self.clock.moment = plan.start
                story = _Story(self, plan)
                story.tell()
                self.finished.append((self.clock.moment, story.report))

    def _plans(self, count):
        # Every story once (so even a small demo has every state), then by weight.
        stories = self.town.stories
        names = list(stories)[:count]
        weights = [weight for weight, _window in stories.values()]
        names += self.rng.choices(list(stories), weights=weights, k=max(0, count - len(names)))
        plans = []
        for name in names:
            oldest, newest = stories[name][1]
            days_ago = self.rng.uniform(newest, oldest)
            start = self.now - dt.timedelta(days=days_ago)
            # Residents write mostly between 06:00 and 22:00.
            local = timezone.localtime(start)
            if local.hour < 6 or local.hour >= 22:
                start += dt.timedelta(hours=8)
            plans.append(_Plan(name, min(start, self.clock.limit)))
        return plans

    def staff(self, role, agency=None):
        if role == "coordinator":
            first, second = self.town.coordinators
            return self.users[first if self.rng.random() < 0.7 else second]
        slug = self.town.staffed[agency.short_name]
        kind = "operator" if self.rng.random() < 0.4 else "penghubung"
        # An agency with a liaison only: the liaison does the operator's part too.
        return self.users.get(f"{kind}_{slug}") or self.users[f"penghubung_{slug}"]


class _Story:
    """One report's life, told through reports.actions under the simulated clock."""

    def __init__(self, builder: _ReportBuilder, plan: _Plan):
        self.b = builder
        self.rng = builder.rng
        self.clock = builder.clock
        self.plan = plan
        self.report = None
        self.coordinator = builder.staff("coordinator")
        self.cat = None
        self.region = None
        self.street = ""
        # A report still "resolved" today must have been resolved recently: tell it quickly.
        self.pace = 0.3 if plan.story == "resolved" else 1.0

    # -- the stories

    def tell(self):
        story = self.plan.story
        handler = getattr(self, f"_story_{story}", None)
        if handler is not None:
            return handler()
        return self._generic(story)

    def _generic(self, story):
        """Stories that differ only in how far they get."""
        info = story in INFO_STORIES or (
            self.rng.random() < 0.07 and story in GENERIC_WITH_INFO and self.b.town.info_requests
        )
        self.submit(kind=Kind.INFORMATION_REQUEST if info else None)
        if story in ("received", "received_overdue"):
            return
        if story == "on_hold":
            return self.hold()
        if story == "verified_after_hold":
            self.hold()
            self.reply()
        self.verify()
        if story in ("verified", "verified_after_hold"):
            return
        if story in ("returned_waiting", "closed_returned"):
            self.dispose(wrong=True)
            self.return_lead()
            if story == "returned_waiting":
                return
        self.dispose(multi=story == "closed_multi")
        if story in ("disposed", "disposed_overdue"):
            return
        if story == "info_closed_extended":
            self.extend()
        if self.rng.random() < 0.75 or story == "in_progress":
            self.follow_up()
            if self.rng.random() < 0.2:
                self.internal_note()
        if story == "in_progress":
            return
        self.finish()
        if story == "resolved":
            if self.rng.random() < 0.3:
                self.rate()
            return
        if story in ("disputed_waiting", "closed_disputed"):
            self.dispute()
            if story == "disputed_waiting":
                return
            self.dispose(again=True)
            self.follow_up()
            self.finish()
        if story in ("objection_open", "objection_answered"):
            self.file_objection()
            if story == "objection_answered":
                self.answer_objection()
            return
        if story == "closed_auto":
            self.auto_close()
            if self.rng.random() < 0.2:
                self.rate()
        elif story == "closed_by_coordinator":
            self.close()
        else:
            self.confirm()
            if self.rng.random() < 0.7:
                self.rate(low=story == "closed_disputed")

    def _story_archived_spam(self):
        self.submit(spam=True)
        self.archive(ArchiveReason.SPAM, message="Bukan laporan (pesan promosi/uji coba).")

    def _story_archived_unclear(self):
        self.submit()
        self.hold()
        self.wait(72, 240)
        self.archive(
            ArchiveReason.UNCLEAR,
            message="Pelapor tidak menjawab permintaan klarifikasi; lokasi tidak dapat dipastikan.",
        )

    def _story_archived_outside(self):
        title, description, referral = self.rng.choice(OUTSIDE)
        self.submit(text=(title, description), outside=True)
        self.archive(ArchiveReason.OUTSIDE_AUTHORITY, referral_note=referral)

    def _story_archived_duplicate(self):
        original = self._original()
        if original is None:
            return self._story_archived_unclear()
        self.cat = self.b.categories.get(self._key_of(original))
        self.submit(duplicate_of=original)
        self.archive(
            ArchiveReason.DUPLICATE,
            duplicate_of=original,
            message=f"Sama dengan laporan {original.tracking_number}; digabungkan.",
        )

    def _original(self):
        """A report already told whose story ended before now and is not archived."""
        candidates = [r for end, r in self.b.finished if end < self.clock.moment and r.status != Status.ARCHIVED]
        return self.rng.choice(candidates[-40:]) if candidates else None

    def _key_of(self, report):
        for key, cat in self.b.categories.items():
            if cat.category.pk == report.category_id:
                return key
        return None

    # -- the steps

    def wait(self, low, high, *, office=False):
        self.clock.advance(self.rng.uniform(low, high) * self.pace)
        if office:
            self.clock.set(_office_hours(self.clock.moment, self.rng))

    def _fill(self, text):
        kecamatan = self.region.parent.name if self.region else next(iter(self.b.town.centres))
        return self.b.town.local(
            text.format(
                jalan=self.street,
                patokan=self.rng.choice(self.b.town.landmarks),
                kel=self.region.name if self.region else kecamatan,
            )
        )

    def submit(self, *, kind=None, spam=False, text=None, outside=False, duplicate_of=None):
        rng = self.rng
        channel = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
        self.region = rng.choice(self.b.regions)
        self.street = rng.choice(self.b.town.streets)
        kind = kind or (
            Kind.ASPIRATION if rng.random() < 0.12 and not (spam or text or duplicate_of) else Kind.COMPLAINT
        )
        if kind == Kind.INFORMATION_REQUEST:
            key, title, description = rng.choice(INFO_REQUESTS)
        elif kind == Kind.ASPIRATION:
            key, title, description = rng.choice(ASPIRATIONS)
        elif duplicate_of is not None:
            key = self._key_of(duplicate_of)
            title = duplicate_of.title
            description = "Lapor lagi, belum ada tanggapan: " + duplicate_of.description
            self.region = duplicate_of.region or self.region
        else:
            key = self.cat.key if self.cat else rng.choice(self.b.town.complaint_keys)
            title, description = rng.choice(COMPLAINTS[key])
        if spam:
            title, description, key = "", rng.choice(SPAM), None
        if text:
            (title, description), key = text, None
        self.cat = self.b.categories.get(key) if key else None
        title, description = self._fill(title), self._fill(description)

        anonymous = rng.random() < 0.1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = "08" + rng.choice(["12", "13", "21", "52", "57", "77", "95"]) + f"{rng.randrange(10**8):08d}"
        email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@" + rng.choice(
            ["example.com", "example.org", "example.net"]
        )
        has_email = channel == Channel.EMAIL or rng.random() < 0.35
        has_phone = channel != Channel.EMAIL or rng.random() < 0.5
        if has_phone:
            reply = ReplyChannel.SMS if channel == Channel.SMS else ReplyChannel.WHATSAPP
        else:
            reply = ReplyChannel.EMAIL
        if rng.random() < 0.1:
            reply = ReplyChannel.NONE
        # Web and app reports come with the reporter's own category and a map pin; staff and
        # chat channels leave classification to the coordinator at verification.
        picked_by_reporter = channel in (Channel.WEB, Channel.ANDROID) and not spam
        latitude = longitude = None
        if picked_by_reporter and not outside and rng.random() < 0.7:
            lat, lon = self.b.town.centres[self.region.parent.name]
            latitude = round(lat + rng.uniform(-0.008, 0.008), 6)
            longitude = round(lon + rng.uniform(-0.008, 0.008), 6)

        values = {
            "kind": kind,
            "channel": channel,
            "title": title,
            "description": description,
            "category": self.cat.category if (self.cat and picked_by_reporter) else None,
            "region": self.region if picked_by_reporter and not outside and not spam else None,
            "address": "" if spam or outside else f"{self.street} no. {rng.randint(1, 120)}, Kel. {self.region.name}",
            "latitude": latitude,
            "longitude": longitude,
            "is_anonymous": anonymous,
            "is_confidential": rng.random() < 0.07,
            "reporter_name": f"{first} {last}",
            "reporter_phone": phone if has_phone else "",
            "reporter_email": email if has_email else "",
            "reply_channel": reply,
        }
        actor = None
        typed_in = self.b.town.typed_in
        if channel in typed_in:
            # The call or visit came first; the coordinator types it in shortly after.
            received_at = self.clock.moment
            self.wait(0.2, 1.5, office=True)
            values["received_at"] = min(received_at, self.clock.moment)
            values["channel_reference"] = typed_in[channel].format(
                time=timezone.localtime(received_at).strftime("%d/%m/%Y %H:%M")
            )
            actor = self.coordinator
        elif channel in (Channel.WHATSAPP, Channel.INSTAGRAM, Channel.SMS, Channel.EMAIL):
            values["channel_reference"] = f"{channel}-{rng.randrange(16**12):012x}"
        with_photo = channel in (Channel.WEB, Channel.ANDROID, Channel.WHATSAPP) and not (spam or outside)
        if with_photo and rng.random() < 0.25:
            values["attachments"] = [self._photo(title)]
        self.report = actions.submit_report(actor=actor, government=self.b.town.government, **values)

    def _photo(self, label):
        from PIL import Image, ImageDraw

        rng = self.rng
        image = Image.new("RGB", (480, 360), (rng.randint(90, 160), rng.randint(90, 160), rng.randint(90, 160)))
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, 200, 480, 360], fill=(70, 70, 75))
        for _hole in range(3):
            x, y = rng.randint(40, 400), rng.randint(210, 320)
            draw.ellipse([x, y, x + rng.randint(30, 90), y + rng.randint(15, 40)], fill=(35, 30, 25))
        draw.text((12, 12), label[:60], fill=(255, 255, 255))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=70)
        return clean_bytes("foto.jpg", out.getvalue())

    def hold(self):
        self.wait(1, 24, office=True)
        self.report = actions.hold_report(self.report, actor=self.coordinator, question=self.rng.choice(HOLD_QUESTIONS))

    def reply(self):
        self.wait(2, 72)
        self.report = actions.reply_as_reporter(
            self.report, actor=Reporter(self.report.pk), message=self.rng.choice(REPLIES)
        )

    def verify(self):
        self.wait(0.5, 30, office=True)
        if self.cat is None:
            self.cat = self.b.categories[self.rng.choice(self.b.town.complaint_keys)]
        self.report = actions.verify_report(
            self.report,
            actor=self.coordinator,
            category=self.cat.category if self.report.category_id is None else None,
            region=self.region if self.report.region_id is None else None,
        )

    def dispose(self, *, wrong=False, multi=False, again=False):
        self.wait(0.2, 24, office=True)
        lead = self.cat.agency
        supporting = []
        if wrong:
            short = self.b.town.confused_with.get(self.cat.key)
            others = [a for s, a in self.b.agencies.items() if s in self.b.town.staffed and a != lead]
            lead = self.b.agencies[short] if short else self.rng.choice(others)
        elif multi or (self.cat.support and self.rng.random() < 0.3):
            helper = self.cat.support or self.b.agencies["Satpol PP"]
            if helper == lead:
                helper = self.b.agencies["DLH" if lead.short_name != "DLH" else "Satpol PP"]
            supporting = [helper]
        instruction = self.rng.choice(INSTRUCTIONS)
        if again:
            instruction = "Pelapor menyatakan belum selesai; mohon dicek ulang di lokasi."
        self.report = actions.dispose_report(
            self.report,
            actor=self.coordinator,
            lead_agency=lead,
            supporting_agencies=supporting,
            instruction=instruction,
        )

    def _open_dispositions(self):
        return list(self.report.dispositions.open().select_related("agency").order_by("-role"))

    def return_lead(self):
        self.wait(2, 72, office=True)
        disposition = self.report.dispositions.open().select_related("agency").get(role="lead")
        actions.return_disposition(
            disposition,
            actor=self.b.staff("agency", disposition.agency),
            reason=f"Bukan kewenangan {disposition.agency.short_name}; "
            f"{self.cat.category.name.lower()} ditangani {self.cat.agency.short_name}.",
        )
        self._refresh()

    def follow_up(self):
        late = self.rng.random() < 0.1
        if late:
            self.wait(100, 200, office=True)
        else:
            self.wait(3, 60, office=True)
        lead = self._open_dispositions()[-1]
        message = self.rng.choice(PROGRESS.get(self.cat.key, PROGRESS_ANY))
        # The demo's progress notes are written for everyone: the public pages show them.
        actions.post_follow_up(
            lead, actor=self.b.staff("agency", lead.agency), message=message, audience=Audience.PUBLIC
        )
        self._refresh()

    def internal_note(self):
        self.wait(1, 24, office=True)
        lead = self._open_dispositions()[-1]
        actions.post_follow_up(
            lead,
            actor=self.b.staff("agency", lead.agency),
            message="Catatan internal: menunggu jadwal regu lapangan / ketersediaan material.",
            audience=Audience.STAFF,
        )

    def finish(self):
        on_site = self.report.resolution_class == ResolutionClass.FIELD
        self.wait(24, 400 if on_site else 120, office=True)
        for disposition in self._open_dispositions():  # supporting first, the lead's answer last
            message = self.rng.choice(DONE.get(self.cat.key, DONE_ANY))
            if disposition.role == "support":
                message = f"{disposition.agency.short_name} sudah membantu penanganan di lokasi."
            attachments = [self._photo("Sesudah: " + self.cat.category.name)] if self.rng.random() < 0.2 else []
            if attachments:
                actions.post_follow_up(
                    disposition,
                    actor=self.b.staff("agency", disposition.agency),
                    message="Foto hasil penanganan.",
                    audience=Audience.PUBLIC,
                    attachments=attachments,
                )
            actions.finish_disposition(
                disposition, actor=self.b.staff("agency", disposition.agency), message=message, audience=Audience.PUBLIC
            )
            self.wait(0.1, 2)
        self._refresh()

    def extend(self):
        self.wait(24, 120, office=True)
        self.report = actions.extend_information_request(
            self.report, actor=self.coordinator, reason="Dokumen yang diminta masih dihimpun dari beberapa bidang."
        )

    def confirm(self):
        self.wait(2, 120)
        self.report = actions.confirm_resolution(self.report, actor=Reporter(self.report.pk))

    def rate(self, low=False):
        self.wait(0, 6)
        rating = self.rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 3, 2, 1] if low else [1, 2, 3, 7, 7])[0]
        self.report = actions.rate_report(
            self.report,
            actor=Reporter(self.report.pk),
            rating=rating,
            comment=self.b.town.local(self.rng.choice(RATING_COMMENTS[rating])),
        )

    def dispute(self):
        self.wait(12, 96)
        self.report = actions.dispute_resolution(
            self.report, actor=Reporter(self.report.pk), reason=self.rng.choice(DISPUTES)
        )

    def auto_close(self):
        # The scheduled job runs in the early morning after the deadline.
        self.clock.set(self.report.autoclose_due_at + dt.timedelta(hours=self.rng.uniform(1, 6)))
        actions.auto_close_due_reports()
        self._refresh()

    def close(self):
        self.wait(48, 200, office=True)
        self.report = actions.close_report(
            self.report, actor=self.coordinator, message="Pelapor mengonfirmasi lewat telepon bahwa sudah selesai."
        )

    def file_objection(self):
        self.wait(24, 200)
        self.report = actions.file_objection(
            self.report, actor=Reporter(self.report.pk), reason=self.rng.choice(OBJECTIONS)
        )

    def answer_objection(self):
        self.wait(48, 300, office=True)
        self.report = actions.answer_objection(
            self.report,
            actor=self.coordinator,
            answer="Rincian yang diminta sudah kami lengkapi dan kirimkan; salinan tersedia di PPID.",
        )

    def archive(self, reason, **kw):
        self.wait(1, 48, office=True)
        self.report = actions.archive_report(self.report, actor=self.coordinator, reason=reason, **kw)

    def _refresh(self):
        self.report = Report.objects.get(pk=self.report.pk)
