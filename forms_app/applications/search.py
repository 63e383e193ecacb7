"""Full-text search over submissions: the index and the query, on PostgreSQL and on SQLite.

``Submission.search_text`` holds a submission's terms (reference, organisation and answers, CJK text as
characters and pairs of characters, never ID or bank numbers: ``Submission.refresh_search_text``).
PostgreSQL keeps ``to_tsvector('simple', search_text)`` in a stored generated column, ``search_vector``
(unknown to the model), with a GIN index; SQLite an FTS5 table kept in step by triggers. A query becomes
its terms, all of which must match, as the notices' search does; the reference typed in full matches
too. Results are ranked: the reference itself first, then by the database's text rank, then newest first;
when more than ``RANKED_AT_MOST`` match (a word that half the applications use), they keep the list's own
order (newest first), which the database reads from its index instead of ranking thousands of rows.
"""

from django.db import connection, connections
from django.db.models import BooleanField, Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from notices.search import query_terms

# Constant SQL (the names are fixed; every user input goes in as a parameter).
FTS = "shenbao_submission_search"
RANKED_AT_MOST = 1000
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS shenbao_submission_search USING fts5("
    "search_text, content='shenbao_applications_submission', content_rowid='id')"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS shenbao_submission_search_ai "
    "AFTER INSERT ON shenbao_applications_submission BEGIN "
    "INSERT INTO shenbao_submission_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS shenbao_submission_search_ad "
    "AFTER DELETE ON shenbao_applications_submission BEGIN "
    "INSERT INTO shenbao_submission_search(shenbao_submission_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS shenbao_submission_search_au AFTER UPDATE OF search_text "
    "ON shenbao_applications_submission "
    "BEGIN INSERT INTO shenbao_submission_search(shenbao_submission_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO shenbao_submission_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_REBUILD = "INSERT INTO shenbao_submission_search(shenbao_submission_search) VALUES ('rebuild')"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS shenbao_submission_search_ai",
    "DROP TRIGGER IF EXISTS shenbao_submission_search_ad",
    "DROP TRIGGER IF EXISTS shenbao_submission_search_au",
    "DROP TABLE IF EXISTS shenbao_submission_search",
]
SQLITE_MATCHES = "SELECT rowid FROM shenbao_submission_search WHERE shenbao_submission_search MATCH %s"
SQLITE_RANK = (
    "SELECT -bm25(shenbao_submission_search) FROM shenbao_submission_search "
    "WHERE shenbao_submission_search MATCH %s AND rowid = {submission}.id"
)


POSTGRES_COLUMN = (
    "ALTER TABLE shenbao_applications_submission ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(search_text, ''))) STORED"
)
POSTGRES_INDEX = (
    "CREATE INDEX submission_search_gin ON shenbao_applications_submission USING gin (search_vector)"
)
POSTGRES_DROP = "ALTER TABLE shenbao_applications_submission DROP COLUMN IF EXISTS search_vector"
POSTGRES_HIT = "{submission}.search_vector @@ to_tsquery('simple', %s)"
POSTGRES_RANK = "ts_rank({submission}.search_vector, to_tsquery('simple', %s))"


class SubmissionSQL(RawSQL):
    """Constant SQL about the submission row, ``{submission}`` naming it as the query being compiled does.

    The tsvector column is unknown to the model, so no column expression can name it. A fixed table name
    is wrong in a subquery, where Django renames the table (``U0``): it would name the outer query's row
    instead, and the review list's page reads its ids with such a subquery.
    """

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"({self.sql.replace('{submission}', alias)})", self.params


def create_index(schema_editor, model):
    """Create the search index of ``model`` (Submission) on the schema editor's database."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_COLUMN)
        schema_editor.execute(POSTGRES_INDEX)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        ensure_sqlite_triggers(schema_editor.connection)
        schema_editor.execute(SQLITE_REBUILD)


def drop_index(schema_editor, model):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)  # its index goes with it
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def ensure_sqlite_triggers(db):
    """(Re)create the SQLite triggers: a migration that rebuilds the submissions table drops them."""
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=%s", [FTS])
        if cursor.fetchone() is None:
            return
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


def fts5_query(terms):
    """Terms as an FTS5 query: each one quoted (a phrase of one token), all required."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search_submissions(queryset, text):
    """Return ``queryset`` narrowed to the submissions matching ``text``, best matches first."""
    text = (text or "").strip()
    if not text:
        return queryset
    exact = Q(reference=text.upper())
    terms = query_terms(text).split()
    if not terms:
        return queryset.filter(exact)
    if connection.vendor == "postgresql":
        query = " & ".join(terms)  # words and CJK pairs only: nothing tsquery would read as syntax
        hit = SubmissionSQL(POSTGRES_HIT, [query], output_field=BooleanField())
        rank = SubmissionSQL(POSTGRES_RANK, [query], output_field=FloatField())
        matched = queryset.filter(exact | Q(hit))
    else:
        match = fts5_query(terms)
        rows = RawSQL(SQLITE_MATCHES, [match])  # noqa: S611 (constant SQL, the query a parameter)
        rank = SubmissionSQL(SQLITE_RANK, [match], output_field=FloatField())
        matched = queryset.filter(exact | Q(pk__in=rows))
    if matched.order_by()[: RANKED_AT_MOST + 1].count() > RANKED_AT_MOST:
        return matched
    first = Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    ranked = matched.annotate(search_first=first, search_rank=rank)
    return ranked.order_by("search_first", F("search_rank").desc(nulls_last=True), "-submitted_at", "-pk")


def restore_sqlite_triggers(using, **kwargs):
    """``post_migrate``: put back the triggers a table rebuild may have dropped."""
    ensure_sqlite_triggers(connections[using])
