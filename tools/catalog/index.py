"""The catalog index: its schema, the derived `_search` fields it reads, and the queries run against it.

Next to the product's own fields each document carries a derived `_search` object (canonical
measure, phonetic keys, numeric price) that only the index reads. Queries are built from parsed
words only (`[a-z0-9]`, escaped tags), so user text never reaches the query syntax.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.commands.search.field import NumericField, TagField, TextField

from tools.catalog.models import Product
from tools.catalog.text import (
    _FILLER,
    _TOKEN_RE,
    ParsedQuery,
    _extract_measures,
    canonical_measure,
    normalize,
    phonetic_key,
)

_TEXT_FIELDS = "@name|tags|brand"
_FUZZY_WEIGHT = 0.3
_WORD_RE = re.compile(r"^[a-z0-9]+$")

# A few words customers use for what the catalog names otherwise; each adds alternatives.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "galv": ("galvanizado",),
    "galva": ("galvanizado",),
    "pbc": ("pvc",),
    "cpbc": ("cpvc",),
    "hidro": ("hidraulico",),
    "tuberia": ("tubo",),
    "pegamento": ("cemento",),
    "t": ("tee",),
    "boiler": ("calentador",),
    "boyler": ("calentador",),
    "tarja": ("fregadero",),
    "lavamanos": ("lavabo",),
    "ducha": ("regadera",),
    "excusado": ("wc",),
    "escusado": ("wc",),
    "inodoro": ("wc",),
    "aljibe": ("cisterna",),
    "estilson": ("stilson",),
    "bombilla": ("foco",),
    "plus": ("tuboplus",),
    # "llave de esfera de media": a plumber's word for the ball valve ("llave de paso", "llave angular" stay keys)
    "llave": ("valvula",),
    "llaves": ("valvulas",),
}


def _index_fields() -> list[Any]:
    return [
        TextField("$.name", as_name="name", weight=2.0),
        TextField("$.tags[*]", as_name="tags"),
        TextField("$.brand", as_name="brand"),
        # Sound keys match more loosely than the words themselves, so they weigh less.
        TextField("$._search.phon", as_name="phon", weight=0.5, no_stem=True),
        TagField("$.sku", as_name="sku"),
        TagField("$.category", as_name="category"),
        TagField("$._search.measure", as_name="measure"),
        NumericField("$.stock", as_name="stock"),
        NumericField("$._search.price", as_name="price"),
    ]


def _search_fields(product: Product) -> dict[str, Any]:
    """The derived, index-only part of a product's document."""
    fields: dict[str, Any] = {
        "phon": " ".join(_product_keys(product)),
        "price": float(product.list_price),  # NUMERIC needs a JSON number; list_price stays an exact string
    }
    if product.measure:
        fields["measure"] = canonical_measure(product.measure)
    return fields


def _product_keys(product: Product) -> list[str]:
    """Sound keys of a product's name (sizes removed), brand and tags, in order, without repeats."""
    return list(_keys_of(product.name, product.brand, tuple(product.tags)))


@functools.lru_cache(maxsize=8192)  # re-ranking computes them for every candidate of every search
def _keys_of(name: str, brand: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    _, rest = _extract_measures(normalize(name))
    # Not the category: "flotadores_wc" would make every float a match for "wc".
    words = _TOKEN_RE.findall(" ".join([rest, normalize(brand), *(normalize(t) for t in tags)]))
    keys = (phonetic_key(w) for w in words if w not in _FILLER)
    return tuple(dict.fromkeys(k for k in keys if len(k) >= 2 or k.isdigit()))


# --- the query -----------------------------------------------------------------------


def _escape_tag(value: str) -> str:
    """Escape a TAG value for the query syntax: every character but letters, digits and _ gets a backslash."""
    return re.sub(r"([^A-Za-z0-9_])", r"\\\1", value)


def _word_clause(term: str) -> str:
    """One term as a union of its spellings: exact/stemmed, fuzzy (4+ letters), by sound, and synonyms."""
    if term.isdigit():
        # Numbers only match where they stand alone (sound keys drop the name's sizes, so "1" does not
        # hit every 1/2" part), or as whole inches: "stilson 14" means the 14" one.
        inches = " | @measure:{" + _escape_tag(f'{term}"') + "}" if len(term) <= 2 else ""
        return f"(@phon:({term}){inches})"
    parts: list[str] = []
    for word in (term, *_SYNONYMS.get(term, ())):
        # Only [a-z0-9] words reach the query: this is what makes injection impossible.
        if not _WORD_RE.fullmatch(word):
            raise ValueError(f"unsafe search word {word!r}")
        parts.append(f"{_TEXT_FIELDS}:({word})")
        if len(word) >= 4:
            # A typo match counts for less than the word itself: "cpvc" is one edit from "pvc".
            parts.append(f"({_TEXT_FIELDS}:(%{word}%) => {{ $weight: {_FUZZY_WEIGHT}; }})")
        key = phonetic_key(word)
        if len(key) >= 2:
            parts.append(f"@phon:({key})")
    return "(" + " | ".join(dict.fromkeys(parts)) + ")"


@dataclass(frozen=True, slots=True)
class _Stage:
    """Queries sharing one text part: `queries` to run in order, `text` alone to tell "no such words"."""

    text: str
    queries: tuple[str, ...]


def _build_stages(parsed: ParsedQuery, in_stock: bool | None) -> list[_Stage]:
    """Stages, best first: all words (with the size, then without), else any word (likewise)."""
    if not parsed.terms:
        return []
    clauses = [_word_clause(t) for t in parsed.terms]
    stock = {True: " @stock:[(0 +inf]", False: " @stock:[-inf 0]", None: ""}[in_stock]
    size = ""
    if parsed.measures:
        size = " @measure:{" + " | ".join(_escape_tag(m) for m in parsed.measures) + "}"
    texts = [" ".join(clauses)] + ([" | ".join(clauses)] if len(clauses) > 1 else [])
    stages: list[_Stage] = []
    for text in texts:
        queries = (f"({text}){size}{stock}", f"({text}){stock}") if size else (f"({text}){stock}",)
        stages.append(_Stage(text=f"({text})", queries=queries))
    return stages


def _words_matched(product: Product, terms: Sequence[str]) -> int:
    """How many query terms the product has as words (by sound, synonyms included), typo matches aside."""
    keys = set(_product_keys(product))
    measure = canonical_measure(product.measure) if product.measure else None
    return sum(
        1
        for term in terms
        if {phonetic_key(w) for w in (term, *_SYNONYMS.get(term, ()))} & keys
        or (term.isdigit() and measure == f'{term}"')
    )
