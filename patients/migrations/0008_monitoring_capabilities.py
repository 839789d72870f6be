# The monitoring capabilities: raise and answer data queries, verify records against source.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0007_withdrawal_table'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='patient',
            options={'ordering': ['study_id'], 'permissions': (('view_study', 'Can read all study data'), ('enter_data', 'Can enter and correct clinical data'), ('review_data', 'Can review and sign off clinical data'), ('view_reports', "Can read the study's summary tables"), ('export_data', 'Can export study datasets'), ('manage_users', 'Can manage user accounts (admin)'), ('unlock_records', 'Can unlock signed records (voids the signature)'), ('raise_queries', 'Can raise, close and re-open data queries'), ('answer_queries', 'Can answer data queries'), ('verify_source', 'Can mark records as verified against source documents'))},
        ),
    ]
