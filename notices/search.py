"""Chinese-aware full-text search on top of Wagtail's database search backend.

Written Chinese has no spaces, so SQLite's FTS5 and PostgreSQL's tsvector see a
whole sentence as one "word" and a search for 专家 finds nothing. As search
engines do for CJK text, we index every character and every pair of adjacent
characters (unigrams and bigrams) and turn a query into the bigrams it
contains, all of which must match. This works the same on SQLite and
PostgreSQL and needs no dictionary.
"""

import re

# CJK unified ideographs (with extension A and compatibility ideographs).
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")


def _bigrams(run):
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text):
    """Return the space-separated terms to index for ``text``."""
    terms = []
    for word in _WORD.findall(text or ""):
        if CJK_RUN.fullmatch(word):
            terms.extend(word)  # unigrams, so that one-character queries match
            if len(word) > 1:
                terms.extend(_bigrams(word))
        else:
            terms.append(word.lower())
    return " ".join(terms)


def chinese_terms(text):
    """Return ``index_terms(text)`` when ``text`` holds Chinese, else nothing.

    What a search backend adds to a field's text (``notices.search_backend``): a database's tokenizer
    reads 2024年度Word模板 as one word, these terms as 2024, 年, 度, word, 模, 板, 年度, 模板.
    """
    return index_terms(text) if CJK_RUN.search(text or "") else ""


def query_terms(query):
    """Return the query string to hand to Wagtail's ``search(..., operator="and")``."""
    terms = []
    for word in _WORD.findall(query or ""):
        if CJK_RUN.fullmatch(word):
            terms.extend(_bigrams(word))
        else:
            terms.append(word.lower())
    # Keep order, drop repeats: a repeated bigram adds nothing to an AND query.
    return " ".join(dict.fromkeys(terms))
