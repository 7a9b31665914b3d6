"""One row per pair of reports in DuplicateDecision (issue 18): opposite rows, (A, B) and
(B, A) — two coordinators at once, or a merge after a rejection from the other side —
fold into the pair's newest decision, stored lower id first. 0007 then forbids any other
order. A data migration of its own: on PostgreSQL a table whose rows changed in a
transaction cannot be altered in the same one."""

from django.db import migrations
from django.db.models import F

BATCH = 500


def folded(rows):
    """``rows``: (pk, report_id, candidate_id, decided_at). Answers (pks to delete, pks to
    turn round): per unordered pair the newest row stays (between equal times the later
    pk), turned round when its higher id comes first; a row naming one report twice goes."""
    newest, drop = {}, []
    for pk, report, candidate, decided_at in sorted(rows, key=lambda row: (row[3], row[0])):
        if report == candidate:
            drop.append(pk)
            continue
        pair = (min(report, candidate), max(report, candidate))
        if pair in newest:
            drop.append(newest[pair][0])
        newest[pair] = (pk, report, candidate)
    turn = [pk for pk, report, candidate in newest.values() if report > candidate]
    return sorted(drop), sorted(turn)


def fold(apps, schema_editor):
    Decision = apps.get_model("triage", "DuplicateDecision")
    decisions = Decision.objects.using(schema_editor.connection.alias)
    drop, turn = folded(decisions.values_list("pk", "report_id", "candidate_id", "decided_at"))
    for start in range(0, len(drop), BATCH):
        decisions.filter(pk__in=drop[start : start + BATCH]).delete()
    for start in range(0, len(turn), BATCH):
        # Both sides from the row as it was (SQL reads the old values on the right).
        decisions.filter(pk__in=turn[start : start + BATCH]).update(report=F("candidate"), candidate=F("report"))


class Migration(migrations.Migration):
    dependencies = [("triage", "0005_duplicate_decision")]

    operations = [migrations.RunPython(fold, migrations.RunPython.noop, elidable=True)]
