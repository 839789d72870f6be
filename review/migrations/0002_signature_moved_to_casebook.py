"""The Signature model now lives in casebook (casebook 0001 took over and renamed its tables)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0001_initial'),
        ('casebook', '0001_signature_from_review'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalSignature'),
                migrations.DeleteModel(name='Signature'),
            ],
            database_operations=[],
        ),
    ]
