"""Search over the channels, users and categories read models (migration 0014_search.sql).

A word hit is a row whose words start with every word of the query (full text, prefix
matching). When the words find few rows and the query is long enough, typo hits follow: rows
whose name holds something close to the whole query (trigram word similarity). Looking for
typos only then keeps names that merely share a syllable out of the results. Word hits rank
above typo hits: their relevance is 1 + ts_rank (names weigh most), a typo hit's is its
similarity. Every kind orders its hits alike: live first, then current viewers, then
relevance, then name. A user is live when their channel is; a category when any of its
channels is, and its viewers are theirs. Pages follow on from the (live, viewers, relevance,
name) the last one ended on.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from projections.channel_reads import COLUMNS as CHANNEL_COLUMNS
from projections.channel_reads import FROM as CHANNEL_FROM

Kind = Literal["channels", "users", "categories"]
KINDS: tuple[Kind, ...] = ("channels", "users", "categories")
Position = tuple[bool, int, float, str]  # live, viewers, relevance, name
MAX_VIEWERS = 2**31 - 1  # viewer counts are PostgreSQL integers

WORD = re.compile(r"[^\W_]+")  # what the text search parser keeps of a name like "elden_ring"

TSQUERY = "to_tsquery('simple', %(tsquery)s)"
ORDER = "live DESC, viewers DESC, relevance DESC, name"
# For the search's transaction: a typo threshold below pg_trgm's default of 0.6, so that a
# swapped letter in a short name ("minecarft") is still close enough; and no parallel workers,
# whose start costs more than these index scans take.
SEARCH_SETTINGS = ("SET LOCAL pg_trgm.word_similarity_threshold = 0.5; "
                   "SET LOCAL max_parallel_workers_per_gather = 0")
TYPOS_FROM = 4  # shorter queries are close to too much to mean anything but a prefix
FEW_WORD_HITS = 20


def prefix_tsquery(query: str) -> str:
    """Every word of the query as a prefix that must match: 'Elden ri' -> 'elden':* & 'ri':*.
    Empty when the query has no letters or digits. Words need no escaping inside the quotes."""
    return " & ".join(f"'{word}':*" for word in WORD.findall(query.lower()))


def as_position(value: Any) -> Position | None:
    """The position a decoded cursor holds, or None when it is not one this search wrote."""
    if not (isinstance(value, list) and len(value) == 4):
        return None
    live, viewers, relevance, name = value
    if (isinstance(live, bool) and type(viewers) is int and 0 <= viewers <= MAX_VIEWERS
            and type(relevance) in (int, float) and math.isfinite(relevance)
            and isinstance(name, str) and "\x00" not in name):
        return live, viewers, float(relevance), name
    return None


def position(row: dict[str, Any]) -> Position:
    return row["live"], row["viewers"], row["relevance"], row["name"]


def _hits(table: str, alias: str, name: str, carried: str = "") -> str:
    """(name, relevance, carried columns) of the word hits, then of the typo hits that are not
    word hits: two parts, so that each is served by its own index."""
    columns = f"{alias}.{name} AS name{carried}"
    document, text = f"{alias}.search_document", f"{alias}.search_text"
    few_word_hits = (f"(SELECT count(*) FROM (SELECT 1 FROM {table} WHERE search_document @@ "
                     f"{TSQUERY} LIMIT {FEW_WORD_HITS}) w) < {FEW_WORD_HITS}")
    return (
        f"SELECT {columns}, (1 + ts_rank({document}, {TSQUERY}))::float8 AS relevance "
        f"FROM {table} {alias} WHERE {document} @@ {TSQUERY} "
        f"UNION ALL SELECT {columns}, word_similarity(%(text)s, {text})::float8 "
        f"FROM {table} {alias} WHERE %(typos)s AND {few_word_hits} "
        f"AND %(text)s <%% {text} AND NOT {document} @@ {TSQUERY}"
    )


def _live(alias: str) -> str:
    """Whether the channel is live, and its viewers while it is."""
    return (f"{alias}.live_session_id IS NOT NULL AS live, "
            f"CASE WHEN {alias}.live_session_id IS NULL THEN 0 "
            f"ELSE {alias}.viewer_count END AS viewers")


RANKED: dict[Kind, str] = {  # (name, live, viewers, relevance) of every hit
    "channels": f"SELECT h.name, {_live('h')}, h.relevance FROM ("
                + _hits("channels", "c", "channel", ", c.live_session_id, c.viewer_count")
                + ") h",
    "users": f"SELECT h.name, {_live('c')}, h.relevance FROM ({_hits('users', 'u', 'username')})"
             " h LEFT JOIN channels c ON c.channel = h.name",
    "categories": "SELECT h.name, l.category IS NOT NULL AS live, coalesce(l.viewers, 0) "
                  f"AS viewers, h.relevance FROM ({_hits('categories', 'g', 'name')}) h "
                  "LEFT JOIN (SELECT category, sum(viewer_count)::int AS viewers FROM channels "
                  "WHERE live_session_id IS NOT NULL GROUP BY category) l "
                  "ON l.category = h.name",
}
DETAILS: dict[Kind, tuple[str, str]] = {  # (columns, source) of a page's rows
    "channels": (CHANNEL_COLUMNS, f"{CHANNEL_FROM} JOIN page ON page.name = c.channel"),
    "users": ("u.user_id, u.username, u.display_name, u.profile_image_url",
              "users u JOIN page ON page.name = u.username"),
    "categories": ("g.kind", "categories g JOIN page ON page.name = g.name"),
}


def search_sql(kind: Kind) -> str:
    columns, source = DETAILS[kind]
    return (
        f"WITH ranked AS ({RANKED[kind]}), page AS (SELECT * FROM ranked "
        "WHERE %(name)s::text IS NULL OR (live::int, viewers, relevance, %(name)s::text) "
        "< (%(live)s::int, %(viewers)s::int, %(relevance)s::float8, name) "
        f"ORDER BY {ORDER} LIMIT %(limit)s) "
        f"SELECT {columns}, page.* FROM {source} ORDER BY {ORDER}"
    )


def search_params(query: str, first: int, after: Position | None) -> dict[str, Any]:
    live, viewers, relevance, name = after or (None, None, None, None)
    return {"tsquery": prefix_tsquery(query), "text": query.lower(), "limit": first,
            "typos": len(query) >= TYPOS_FROM,
            "live": live, "viewers": viewers, "relevance": relevance, "name": name}


async def search(
    conn: AsyncConnection[Any], kind: Kind, query: str, first: int, after: Position | None,
) -> list[dict[str, Any]]:
    """Up to `first` hits after `after`, each with its details and `live`, `viewers`,
    `relevance` and `name` (its position)."""
    async with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(SEARCH_SETTINGS)
        await cur.execute(search_sql(kind), search_params(query, first, after))
        return await cur.fetchall()
