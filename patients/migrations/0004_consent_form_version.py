"""A consent's form version is `form_version`: `version` now counts every clinical record's saves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0003_patient_initials'),
    ]

    operations = [
        migrations.RenameField(model_name='consent', old_name='version', new_name='form_version'),
        migrations.RenameField(model_name='historicalconsent', old_name='version', new_name='form_version'),
    ]
