"""The withdrawal's tables take the patients app's names (a rename: rows, keys and history kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0006_withdrawal'),
    ]

    operations = [
        migrations.AlterModelTable(name='withdrawal', table=None),
        migrations.AlterModelTable(name='historicalwithdrawal', table=None),
    ]
