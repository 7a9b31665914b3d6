"""The ladder also climbs for a report's own deadlines (verification, objection answer),
which have no disposition: each rung names its report (filled in from the disposition for
the rungs fired before), the disposition becomes optional, and a rung is unique per
(disposition, step, level) or, without a disposition, per (report, step, round, level)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

STEPS = [
    ("follow_up", "Tindak lanjut pertama"),
    ("resolution", "Penyelesaian"),
    ("verification", "Verifikasi dan disposisi"),
    ("objection", "Tanggapan atas keberatan"),
]
LEVELS = [
    (1, "Pengingat sebelum tenggat"),
    (2, "Terlambat"),
    (3, "Terlambat lebih lama (koordinator dan pimpinan)"),
]


def fill_report(apps, schema_editor):
    Escalation = apps.get_model("escalation", "Escalation")
    Disposition = apps.get_model("reports", "Disposition")
    Escalation.objects.filter(disposition__isnull=False).update(
        report=Subquery(Disposition.objects.filter(pk=OuterRef("disposition_id")).values("report_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0002_default_rules"),
        ("reports", "0002_reporter_account_instagram_reply"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="escalation", name="escalation_once_per_rung"),
        migrations.AddField(
            model_name="escalation",
            name="report",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="escalations",
                to="reports.report",
                verbose_name="laporan",
            ),
        ),
        migrations.RunPython(fill_report, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="escalation",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="escalations",
                to="reports.report",
                verbose_name="laporan",
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="disposition",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="escalations",
                to="reports.disposition",
                verbose_name="disposisi",
            ),
        ),
        migrations.AddField(
            model_name="escalation",
            name="round",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="putaran"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="step",
            field=models.CharField(choices=STEPS, max_length=16, verbose_name="tahap tenggat"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="level",
            field=models.PositiveSmallIntegerField(choices=LEVELS, verbose_name="tingkat"),
        ),
        migrations.AlterField(
            model_name="escalationrule",
            name="step",
            field=models.CharField(choices=STEPS, max_length=16, unique=True, verbose_name="tahap tenggat"),
        ),
        migrations.AddConstraint(
            model_name="escalation",
            constraint=models.UniqueConstraint(
                condition=Q(disposition__isnull=False),
                fields=("disposition", "step", "level"),
                name="escalation_once_per_disposition_rung",
            ),
        ),
        migrations.AddConstraint(
            model_name="escalation",
            constraint=models.UniqueConstraint(
                condition=Q(disposition__isnull=True),
                fields=("report", "step", "round", "level"),
                name="escalation_once_per_report_rung",
            ),
        ),
        migrations.AddConstraint(
            model_name="escalation",
            constraint=models.CheckConstraint(
                condition=Q(step__in=["follow_up", "resolution"], disposition__isnull=False)
                | Q(step__in=["verification", "objection"], disposition__isnull=True),
                name="escalation_step_matches_item",
            ),
        ),
    ]
