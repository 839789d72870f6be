"""Schedule 1.1: the follow-up visits (SPEC §2 [decision]) become slots of every patient enrolled before it.

The visit definitions are written out here (not read from visits.schedule) so this step keeps meaning what it
did when the schedule changes again. Visits already recorded stay where they are (an unscheduled visit in a
follow-up window is not moved into the new slot: that is a data manager's correction, with a reason). Each new
slot gets its history row, and each patient's schedule version its change, with the reason below.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

REASON = "schedule 1.1: follow-up visits while on sirolimus"
FOLLOW_UPS = (("month4", 112, 7), ("month5", 140, 7), *((f"month{m}", 28 * m, 14) for m in range(7, 13)))


def slots_add(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    HistoricalPatient = apps.get_model("patients", "HistoricalPatient")
    ScheduledVisit = apps.get_model("visits", "ScheduledVisit")
    HistoricalScheduledVisit = apps.get_model("visits", "HistoricalScheduledVisit")
    now = timezone.now()
    for patient in Patient.objects.exclude(schedule_version="1.1").order_by("pk"):
        existing = set(ScheduledVisit.objects.filter(patient=patient).values_list("code", flat=True))
        for code, day, window in FOLLOW_UPS:
            if code in existing:
                continue
            target = patient.start_date + timedelta(days=day)
            slot = ScheduledVisit.objects.create(
                patient=patient, code=code, target_date=target, earliest=target - timedelta(days=window),
                latest=target + timedelta(days=window))
            HistoricalScheduledVisit.objects.create(
                id=slot.pk, created_at=slot.created_at, modified_at=slot.modified_at, patient_id=patient.pk,
                code=code, target_date=slot.target_date, earliest=slot.earliest, latest=slot.latest,
                history_date=now, history_type="+", history_change_reason=REASON, history_user=None)
        Patient.objects.filter(pk=patient.pk).update(schedule_version="1.1", modified_at=now,
                                                     version=models.F("version") + 1)
        patient.refresh_from_db()
        fields = {f.attname: getattr(patient, f.attname) for f in Patient._meta.concrete_fields}
        HistoricalPatient.objects.create(**fields, history_date=now, history_type="~",
                                         history_change_reason=REASON, history_user=None)


class Migration(migrations.Migration):

    dependencies = [
        ("visits", "0003_response_loss_events"),
        ("patients", "0005_record_version"),
    ]

    operations = [
        migrations.RunPython(slots_add, migrations.RunPython.noop),
    ]
