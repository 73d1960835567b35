"""Candidate search: full text (SQLite FTS5 or PostgreSQL) and filters behind one interface.

- `index_candidates(ids)` rebuilds what search reads after a write (see index.py).
- `search_candidates(member, params)` returns a page of results (see engine.py).
"""

from accord.candidates.search.engine import (
    Hit,
    SearchParams,
    SearchResult,
    Sort,
    search_candidates,
)
from accord.candidates.search.index import index_candidates

__all__ = ["Hit", "SearchParams", "SearchResult", "Sort", "index_candidates", "search_candidates"]
