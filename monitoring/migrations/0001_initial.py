# Data queries, their messages and source-data verification marks (with their history).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('patients', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalQuery',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('record_type', models.CharField(max_length=40, verbose_name='record type')),
                ('record_id', models.BigIntegerField(verbose_name='record id')),
                ('field', models.CharField(blank=True, max_length=60, verbose_name='field')),
                ('status', models.CharField(choices=[('open', 'open'), ('answered', 'answered'), ('closed', 'closed')], default='open', max_length=10)),
                ('rule', models.CharField(blank=True, max_length=40, verbose_name='rule')),
                ('cause', models.CharField(blank=True, db_index=True, max_length=120, null=True, verbose_name='cause')),
                ('raised_at', models.DateTimeField(verbose_name='raised at (UTC)')),
                ('waiting_since', models.DateTimeField(verbose_name='waiting since (UTC)')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at (UTC)')),
                ('version', models.PositiveIntegerField(default=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('closed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient')),
                ('raised_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical data query',
                'verbose_name_plural': 'historical data queries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalVerification',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('record_type', models.CharField(max_length=40, verbose_name='record type')),
                ('record_id', models.BigIntegerField(verbose_name='record id')),
                ('field', models.CharField(blank=True, max_length=60, verbose_name='field')),
                ('record_version', models.PositiveIntegerField(verbose_name='record version verified')),
                ('verified_at', models.DateTimeField(verbose_name='verified at (UTC)')),
                ('version', models.PositiveIntegerField(default=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient')),
                ('verified_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical verification',
                'verbose_name_plural': 'historical verifications',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Query',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_type', models.CharField(max_length=40, verbose_name='record type')),
                ('record_id', models.BigIntegerField(verbose_name='record id')),
                ('field', models.CharField(blank=True, max_length=60, verbose_name='field')),
                ('status', models.CharField(choices=[('open', 'open'), ('answered', 'answered'), ('closed', 'closed')], default='open', max_length=10)),
                ('rule', models.CharField(blank=True, max_length=40, verbose_name='rule')),
                ('cause', models.CharField(blank=True, max_length=120, null=True, unique=True, verbose_name='cause')),
                ('raised_at', models.DateTimeField(verbose_name='raised at (UTC)')),
                ('waiting_since', models.DateTimeField(verbose_name='waiting since (UTC)')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at (UTC)')),
                ('version', models.PositiveIntegerField(default=1)),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient')),
                ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'data query',
                'verbose_name_plural': 'data queries',
                'ordering': ['waiting_since', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalQueryMessage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('question', 'question'), ('answer', 'answer'), ('close', 'closed'), ('reopen', 're-opened')], max_length=10)),
                ('text', models.TextField(max_length=2000, verbose_name='message')),
                ('written_at', models.DateTimeField(verbose_name='written at (UTC)')),
                ('correction_version', models.PositiveIntegerField(blank=True, null=True)),
                ('correction_history_id', models.BigIntegerField(blank=True, null=True)),
                ('correction_field', models.CharField(blank=True, max_length=60)),
                ('correction_old', models.CharField(blank=True, max_length=250)),
                ('correction_new', models.CharField(blank=True, max_length=250)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('author', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient')),
                ('query', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='monitoring.query')),
            ],
            options={
                'verbose_name': 'historical query message',
                'verbose_name_plural': 'historical query messages',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QueryMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('question', 'question'), ('answer', 'answer'), ('close', 'closed'), ('reopen', 're-opened')], max_length=10)),
                ('text', models.TextField(max_length=2000, verbose_name='message')),
                ('written_at', models.DateTimeField(verbose_name='written at (UTC)')),
                ('correction_version', models.PositiveIntegerField(blank=True, null=True)),
                ('correction_history_id', models.BigIntegerField(blank=True, null=True)),
                ('correction_field', models.CharField(blank=True, max_length=60)),
                ('correction_old', models.CharField(blank=True, max_length=250)),
                ('correction_new', models.CharField(blank=True, max_length=250)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient')),
                ('query', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='messages', to='monitoring.query')),
            ],
            options={
                'ordering': ['written_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Verification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('record_type', models.CharField(max_length=40, verbose_name='record type')),
                ('record_id', models.BigIntegerField(verbose_name='record id')),
                ('field', models.CharField(blank=True, max_length=60, verbose_name='field')),
                ('record_version', models.PositiveIntegerField(verbose_name='record version verified')),
                ('verified_at', models.DateTimeField(verbose_name='verified at (UTC)')),
                ('version', models.PositiveIntegerField(default=1)),
                ('patient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient')),
                ('verified_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['record_type', 'record_id', 'field'],
            },
        ),
        migrations.AddIndex(
            model_name='query',
            index=models.Index(fields=['status', 'patient'], name='monitoring__status_8c396b_idx'),
        ),
        migrations.AddIndex(
            model_name='query',
            index=models.Index(fields=['record_type', 'record_id'], name='monitoring__record__0ad71c_idx'),
        ),
        migrations.AddIndex(
            model_name='verification',
            index=models.Index(fields=['patient'], name='monitoring__patient_aa8e5b_idx'),
        ),
        migrations.AddConstraint(
            model_name='verification',
            constraint=models.UniqueConstraint(fields=('record_type', 'record_id', 'field'), name='one_verification_per_record_field'),
        ),
    ]
