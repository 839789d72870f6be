# Reminders now belong to the inbox app (inbox/migrations/0001_initial.py): they leave safety's state only;
# their tables and rows are untouched here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("safety", "0003_record_version"),
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReminderRead"),
                migrations.DeleteModel(name="Reminder"),
            ],
            database_operations=[],
        ),
    ]
