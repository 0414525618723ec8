"""BulkExport moves here from assessments. Only Django's idea of the model moves: the table keeps
its name (assessments_bulkexport, and its enrolments table), so no row is copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0004_bulk_exports'),
        ('portfolio', '0004_audit_events_are_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BulkExport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(auto_now_add=True)),
                        ('description', models.CharField(max_length=300)),
                        ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Being built'), ('done', 'Ready to download'), ('failed', 'Failed')], default='queued', max_length=20)),
                        ('units_done', models.PositiveIntegerField(default=0)),
                        ('units_total', models.PositiveIntegerField(default=0)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('file', models.FileField(blank=True, max_length=255, upload_to='')),
                        ('size', models.PositiveBigIntegerField(blank=True, null=True)),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('error', models.TextField(blank=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('centre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bulk_exports', to='portfolio.centre')),
                        ('enrolments', models.ManyToManyField(related_name='+', to='portfolio.enrolment')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-requested_at', '-id'],
                        'db_table': 'assessments_bulkexport',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
