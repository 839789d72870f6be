"""The withdrawal (off study) belongs to the patient now (patients 0006): only the model's state leaves safety;
the tables and their rows stay where they are until patients 0007 renames them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('safety', '0005_haematology_panel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='HistoricalWithdrawal'),
            migrations.DeleteModel(name='Withdrawal'),
        ]),
    ]
