"""The review list's full-text search: submissions' search terms recomputed, then indexed.

PostgreSQL gets a GIN index on ``to_tsvector('simple', search_text)`` (the expression the search
filters on); SQLite an FTS5 table over ``search_text`` kept in step by triggers.
"""

from django.db import migrations

from forms_app.applications import search
from forms_app.builder.display import search_words
from forms_app.builder.schema import FormSchema
from notices.search import index_terms


def recompute(apps, schema_editor):
    Submission = apps.get_model("shenbao_applications", "Submission")
    schemas = {}
    rows = Submission.objects.select_related("organisation").order_by("pk")
    batch = []
    for submission in rows.iterator(chunk_size=2000):
        if submission.form_version_id not in schemas:
            schemas[submission.form_version_id] = FormSchema(submission.form_version.definition)
        words = search_words(schemas[submission.form_version_id], submission.answers)
        organisation = submission.organisation.name if submission.organisation_id else ""
        submission.search_text = index_terms(f"{submission.reference} {organisation} {words}")
        batch.append(submission)
        if len(batch) == 2000:
            Submission.objects.bulk_update(batch, ["search_text"])
            batch = []
    Submission.objects.bulk_update(batch, ["search_text"])


def add_index(apps, schema_editor):
    search.create_index(schema_editor, apps.get_model("shenbao_applications", "Submission"))


def remove_index(apps, schema_editor):
    search.drop_index(schema_editor, apps.get_model("shenbao_applications", "Submission"))


class Migration(migrations.Migration):
    dependencies = [("shenbao_applications", "0003_review_list_order_indexes")]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
    ]
