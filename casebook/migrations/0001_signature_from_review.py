"""Signatures move from review to casebook: the model's state moves, its rows stay (the tables are renamed)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('review', '0001_initial'),
        ('patients', '0002_alter_patient_options'),
        ('visits', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSignature',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('modified_at', models.DateTimeField(blank=True, editable=False)),
                        ('up_to', models.DateField(blank=True, null=True, verbose_name='casebook up to')),
                        ('signer_name', models.CharField(max_length=150, verbose_name='signed by')),
                        ('signed_at', models.DateTimeField(verbose_name='signed at (UTC)')),
                        ('meaning', models.CharField(default='reviewed and approved', max_length=60)),
                        ('voided_at', models.DateTimeField(blank=True, null=True, verbose_name='unlocked at (UTC)')),
                        ('void_reason', models.CharField(blank=True, max_length=250, verbose_name='reason for unlocking')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient')),
                        ('signer', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('visit', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='visits.visit')),
                        ('voided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical signature',
                        'verbose_name_plural': 'historical signatures',
                        'ordering': ('-history_date', '-history_id'),
                        'db_table': 'review_historicalsignature',
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Signature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('modified_at', models.DateTimeField(auto_now=True)),
                        ('up_to', models.DateField(blank=True, null=True, verbose_name='casebook up to')),
                        ('signer_name', models.CharField(max_length=150, verbose_name='signed by')),
                        ('signed_at', models.DateTimeField(verbose_name='signed at (UTC)')),
                        ('meaning', models.CharField(default='reviewed and approved', max_length=60)),
                        ('voided_at', models.DateTimeField(blank=True, null=True, verbose_name='unlocked at (UTC)')),
                        ('void_reason', models.CharField(blank=True, max_length=250, verbose_name='reason for unlocking')),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='patients.patient')),
                        ('signer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='visits.visit')),
                        ('voided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['patient', 'signed_at'],
                        'db_table': 'review_signature',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('up_to__isnull', True), ('visit__isnull', False)), models.Q(('up_to__isnull', False), ('visit__isnull', True)), _connector='OR'), name='signature_covers_a_visit_or_a_casebook')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='signature', table=None),
        migrations.AlterModelTable(name='historicalsignature', table=None),
    ]
