"""Wagtail's database search backend, reading Chinese as the public notice search does.

SQLite's FTS5 and PostgreSQL's parser take a run of Chinese characters as one word, so Wagtail's
admin searches (pages, snippets, images, documents) found a page only by the start of its title.
This backend indexes every run of Chinese characters also as its characters and pairs of characters
and turns a query's runs into their pairs, all required (``notices.search``), for every model it
indexes, so a word of any length found anywhere in a title matches, as on the public site.

Set ``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "notices.search_backend"}}`` and run
``manage.py update_index`` once on a database indexed before.
"""

from functools import cache

from modelsearch.backends import database
from wagtail.search import index
from wagtail.search.query import And, Boost, Not, Or, PlainText

from notices.search import CJK_RUN, chinese_terms, query_terms


def with_chinese_terms(value):
    """``value`` as the indexer reads it (text, or a list or dict of texts), Chinese terms added."""
    if isinstance(value, str):
        terms = chinese_terms(value)
        return f"{value} {terms}" if terms else value
    if isinstance(value, list):
        return [with_chinese_terms(item) for item in value]
    if isinstance(value, dict):
        return {key: with_chinese_terms(item) for key, item in value.items()}
    return value


class ChineseSearchField(index.SearchField):
    """A full-text field whose Chinese runs are indexed as characters and pairs too."""

    def get_value(self, obj):
        return with_chinese_terms(super().get_value(obj))


class ChineseAutocompleteField(index.AutocompleteField):
    """An autocomplete field whose Chinese runs are indexed as characters and pairs too."""

    def get_value(self, obj):
        return with_chinese_terms(super().get_value(obj))


def chinese_fields(fields):
    """The same search fields, their text fields (related ones included) read as Chinese."""
    read = []
    for field in fields:
        if isinstance(field, index.SearchField):
            field = ChineseSearchField(field.field_name, boost=field.boost, **field.kwargs)
        elif isinstance(field, index.AutocompleteField):
            field = ChineseAutocompleteField(field.field_name, **field.kwargs)
        elif isinstance(field, index.RelatedFields):
            field = index.RelatedFields(field.field_name, chinese_fields(field.fields))
        read.append(field)
    return read


def chinese_query(query):
    """A query string or query object with each Chinese run as its pairs, all of them required."""
    if isinstance(query, str):
        if not CJK_RUN.search(query):
            return query
        return PlainText(chinese_query_string(query), operator="and")
    if isinstance(query, PlainText):
        if not CJK_RUN.search(query.query_string):
            return query
        return PlainText(chinese_query_string(query.query_string), operator="and", boost=query.boost)
    if isinstance(query, And | Or):
        return type(query)([chinese_query(subquery) for subquery in query.subqueries])
    if isinstance(query, Not):
        return Not(chinese_query(query.subquery))
    if isinstance(query, Boost):
        return Boost(chinese_query(query.subquery), query.boost)
    return query  # phrases and fuzzy queries: as typed


def chinese_query_string(text):
    """``text`` with every Chinese run replaced by its pairs (a lone character stays), the rest as typed."""
    return CJK_RUN.sub(lambda run: f" {query_terms(run[0])} ", text).strip()


class ChineseIndexMixin:
    """Indexes each object through its search fields read as Chinese."""

    def add_items(self, model, objs):
        # The indexer asks each object for its search fields; answer on the object itself (its class,
        # which the fields look their model fields up on, stays), and only while it is indexed.
        objs = list(objs)
        fields = chinese_fields(model.get_search_fields())
        for obj in objs:
            obj.get_search_fields = lambda fields=fields: fields
        try:
            return super().add_items(model, objs)
        finally:
            for obj in objs:
                del obj.get_search_fields


class ChineseQueryMixin:
    """Searches and autocompletes with each Chinese run of the query as its pairs."""

    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(chinese_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(chinese_query(query), model_or_queryset, *args, **kwargs)


@cache
def chinese_backend_class(base):
    """``base`` (the database backend Wagtail picks for the database in use), reading Chinese."""
    index_class = type(f"Chinese{base.index_class.__name__}", (ChineseIndexMixin, base.index_class), {})
    return type(f"Chinese{base.__name__}", (ChineseQueryMixin, base), {"index_class": index_class})


def SearchBackend(params):  # the name Wagtail looks up in a backend's module
    """The backend for the default database (PostgreSQL, SQLite's FTS5, …), reading Chinese."""
    return chinese_backend_class(type(database.SearchBackend(params)))(params)
