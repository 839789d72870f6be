from django.core.management.base import BaseCommand
from django.db import transaction

from patients.models import Patient
from visits.services import response_recompute


class Command(BaseCommand):
    help = "Recompute every patient's visit categories and response summary (e.g. after RESPONSE_CRITERIA changes)."

    def handle(self, *args, **options):
        count = 0
        for patient in Patient.objects.order_by("study_id").iterator():
            with transaction.atomic():
                locked = Patient.objects.select_for_update().get(pk=patient.pk)
                response_recompute(patient=locked)
            count += 1
        self.stdout.write(f"recomputed {count} patient(s)")
