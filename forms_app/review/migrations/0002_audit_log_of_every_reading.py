"""Every reading of personal data in the audit log, and the log made append-only.

Entries written before this migration recorded only unmasked views and exports, so they are marked
unmasked, and their user's name and submission's reference are copied in before the guard is set.
On PostgreSQL a trigger then refuses every UPDATE and DELETE of the table, except setting the user or
the submission to NULL when that row is deleted (the names stay). SQLite has no such guard; the model
refuses changes there as everywhere.
"""

from django.db import migrations, models

TABLE = "shenbao_review_auditlogentry"

GUARD = f"""
CREATE OR REPLACE FUNCTION shenbao_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a user or a submission detaches the entries that name it; nothing else changes one.
    IF TG_OP = 'UPDATE'
       AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id)
       AND (NEW.submission_id IS NULL OR NEW.submission_id = OLD.submission_id)
       AND (to_jsonb(NEW) - 'user_id' - 'submission_id') = (to_jsonb(OLD) - 'user_id' - 'submission_id')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of entry % refused', TG_OP, OLD.id;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER shenbao_audit_log_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION shenbao_audit_log_append_only();
"""

UNGUARD = f"""
DROP TRIGGER IF EXISTS shenbao_audit_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS shenbao_audit_log_append_only();
"""


def copy_names(apps, schema_editor):
    """Keep in each earlier entry the user's name and the submission's reference."""
    entries = apps.get_model("shenbao_review", "AuditLogEntry").objects.using(schema_editor.connection.alias)
    for entry in entries.select_related("user", "submission"):
        entry.actor_name = entry.user.get_username() if entry.user_id else ""
        entry.reference = entry.submission.reference if entry.submission_id else ""
        entry.save(update_fields=["actor_name", "reference"])


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)  # RAISE has % placeholders of its own


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('shenbao_review', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditlogentry',
            options={'default_permissions': ('view',), 'ordering': ['-created_at', '-pk'], 'verbose_name': 'audit log entry', 'verbose_name_plural': 'audit log'},
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150, verbose_name='who'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='submissions'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='reason',
            field=models.CharField(blank=True, max_length=200, verbose_name='why visible'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='reference',
            field=models.CharField(blank=True, max_length=40, verbose_name='reference'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='unmasked',
            # Every entry so far was an unmasked view or export.
            field=models.BooleanField(default=True, verbose_name='ID and bank numbers in full'),
        ),
        migrations.AlterField(
            model_name='auditlogentry',
            name='unmasked',
            field=models.BooleanField(default=False, verbose_name='ID and bank numbers in full'),
        ),
        migrations.AlterField(
            model_name='auditlogentry',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed a submission'), ('file', 'Downloaded a file'), ('document', 'Opened a PDF or Word copy'), ('list', 'Viewed a summary list'), ('export', 'Exported submissions'), ('log_export', 'Exported the audit log'), ('purge', 'Purged or anonymised personal data')], max_length=20, verbose_name='action'),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
