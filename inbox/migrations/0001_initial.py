# The reminders move from safety/ to the inbox app: the models change apps in Django's state only; their
# tables (safety_reminder, safety_reminderread) and every row stay where they are (renamed in 0002).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("patients", "0002_alter_patient_options"),
        ("safety", "0002_reminder_ae_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("kind", models.CharField(choices=[
                            ("lab_due", "Safety labs due"), ("lab_overdue", "Safety labs overdue"),
                            ("trough_due", "Trough level due"), ("visit_due", "Visit due"),
                            ("ae_proposed", "Adverse event to confirm"),
                            ("ae_review", "Adverse event to review (its lab value was corrected)"),
                            ("withdrawal", "Withdrawal to complete")], max_length=12)),
                        ("due_date", models.DateField()),
                        ("audience", models.CharField(choices=[("nurse", "Study nurses"), ("physician", "Physicians")],
                                                      max_length=10)),
                        ("message", models.CharField(max_length=250)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("batch", models.UUIDField(default=uuid.uuid4, editable=False)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("patient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="reminders", to="patients.patient")),
                    ],
                    options={
                        "ordering": ["-due_date", "id"],
                        "db_table": "safety_reminder",
                        "indexes": [models.Index(fields=["audience", "due_date"],
                                                 name="safety_remi_audienc_c9533c_idx")],
                        "constraints": [models.UniqueConstraint(fields=("patient", "kind", "due_date"),
                                                                name="one_reminder_per_key")],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderRead",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("read_at", models.DateTimeField(auto_now_add=True)),
                        ("reminder", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                       related_name="reads", to="inbox.reminder")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                   to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "safety_reminderread",
                        "constraints": [models.UniqueConstraint(fields=("reminder", "user"),
                                                                name="one_read_per_user")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
