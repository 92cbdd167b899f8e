"""The search backend every search of the site goes through (the admin's page and snippet
searches, the choosers, the admin API): Wagtail's database backend, given a bounded query.

What a visitor types reaches the database's full-text syntax. A double quote left open broke
SQLite's (`unterminated string`), and a query of thousands of words nested one expression per
word until Python's recursion limit (PostgreSQL and SQLite alike). No one searches for more
than a few words: the query keeps its first MAX_WORDS words and MAX_CHARACTERS characters,
without quotes or control characters.
"""

import copy
import functools
import unicodedata

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Fuzzy, Phrase, PlainText

MAX_WORDS = 16
MAX_CHARACTERS = 200


def search_query_bound(text: str) -> str:
    """A query as the full-text syntax can take it: no quotes, no control characters, a few
    words."""
    kept = "".join(
        " " if ch == '"' or unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )
    return " ".join(kept[:MAX_CHARACTERS].split()[:MAX_WORDS])


def _bounded(query):
    if isinstance(query, str):
        return search_query_bound(query)
    if isinstance(query, PlainText | Phrase | Fuzzy):
        query = copy.copy(query)
        query.query_string = search_query_bound(query.query_string)
    return query


class BoundedQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(query_compiler_class, _bounded(query), model_or_queryset, **kwargs)


@functools.cache
def _bounded_class(backend_class):
    return type(f"Bounded{backend_class.__name__}", (BoundedQueryMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 -- the name Wagtail's settings look for
    """The database's own backend (PostgreSQL's or SQLite's), with the query bounded."""
    backend = database_backend(params)
    return _bounded_class(type(backend))(params)
