"""`Catalog`: one tenant's products in Redis, searched through the tenant's index.

Each product is one JSON document at `ork:{tenant}:product:<sku>`; the index
`ork:{tenant}:idx:catalog` covers only that tenant's prefix, so tenants never share
documents or an index.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from redis.asyncio import Redis
from redis.commands.search.index_definition import IndexDefinition, IndexType
from redis.commands.search.query import Query
from redis.exceptions import ResponseError

from core.tenants import TenantKeys
from tools.catalog.index import _build_stages, _index_fields, _search_fields, _words_matched
from tools.catalog.models import Product, ProductNotFoundError, demo_products
from tools.catalog.text import _FILLER, canonical_measure, normalize, parse_query, phonetic_key

MAX_LIMIT = 50
_WRITE_CHUNK = 500
_RESOLVE_POOL = 16  # candidates a line is matched among


# Words of a product line a buyer names when they mean it ("conduit"); without them the other line is meant.
_SAID_WHEN_MEANT = frozenset({"conduit"})
_SELLING_UNITS = frozenset({"pieza", "tramo", "rollo", "caja", "juego", "kg", "litro", "metro"})
# The units as an English buyer (or the LLM reader) says them: "4 rolls of wire" is the roll.
_ENGLISH_UNITS = {"roll": "rollo", "rolls": "rollo", "box": "caja", "boxes": "caja", "length": "tramo",
                  "lengths": "tramo", "set": "juego", "sets": "juego", "piece": "pieza", "pieces": "pieza",
                  "pc": "pieza", "pcs": "pieza", "liter": "litro", "liters": "litro", "litre": "litro",
                  "litres": "litro", "meter": "metro", "meters": "metro", "kilo": "kg", "kilos": "kg"}


def selling_unit(said: str) -> str:
    """The unit a product is sold in, as a buyer said it: "rollos" and "rolls" are "rollo", "kilos" is "kg"."""
    return _ENGLISH_UNITS.get(said) or (said[:-1] if said.endswith("s") and said[:-1] in _SELLING_UNITS else said)


def _written_words(text: str) -> set[str]:
    """The words as written and each pair of them ("tipo m" tells the type M tube from the type L)."""
    words = [w for w in normalize(text).lower().replace('"', " ").split() if w not in _FILLER or len(w) == 1]
    return set(words) | {f"{a} {b}" for a, b in pairwise(words)}


@functools.lru_cache(maxsize=4096)  # pure; the same names come back turn after turn
def _name_measures(name: str) -> frozenset[str]:
    """The measures a product's name spells out."""
    return frozenset(parse_query(name).measures)


# Containers said for the size they hold in Mexico: a cubeta is 19 litres, a galón about 4.
_CONTAINER_LITRES = {"cubeta": "19", "cubetas": "19", "bucket": "19", "buckets": "19", "galon": "4", "galones": "4",
                     "gallon": "4", "gallons": "4"}


def holds(name: str, container: str | None) -> bool | None:
    """Whether a product so named comes in the container said ("cubeta": 19 L, "galón": 4 L); None when the
    word names no container."""
    litres = _CONTAINER_LITRES.get(container or "")
    return None if litres is None else bool(re.search(rf"(?<![\d.]){litres} l\b", normalize(name)))


_PURPOSE = re.compile(r"\b(?:para|pa|pal|for) (?:el |la |los |las |the )?([a-z]{4,})")


def _best(products: list[Product], score: Callable[[Product], int]) -> list[Product]:
    """The products with the highest score (all of them when it ties or nothing scores)."""
    if not products:
        return products
    scores = [score(p) for p in products]
    top = max(scores)
    return [p for p, s in zip(products, scores, strict=True) if s == top]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Which products one order line fits: `fits`, best first; `near` when none has the size asked for."""

    fits: list[Product]
    near: list[Product]

    @property
    def product(self) -> Product | None:
        """The one product the line names, or None when it names several or none."""
        return self.fits[0] if len(self.fits) == 1 else None


class Catalog:
    """One tenant's catalog in Redis; pass the shared client and the tenant. Call `ensure_index` before searching."""

    def __init__(self, redis: Redis, tenant: str) -> None:
        self._redis = redis
        self._keys = TenantKeys(tenant)  # validates the tenant id
        self.tenant = tenant
        self.index_name = self._keys.key("idx", "catalog")
        self.prefix = self._keys.key("product", "")  # "ork:{tenant}:product:"

    def key(self, sku: str) -> str:
        """The Redis key of a product's JSON document."""
        return self._keys.key("product", sku)

    async def ensure_index(self, *, timeout_s: float = 30.0) -> bool:
        """Create the tenant's index if missing, then wait until existing documents are indexed; True if created."""
        definition = IndexDefinition(prefix=[self.prefix], index_type=IndexType.JSON, language="spanish")
        created = True
        try:
            # The fillers are the stop words, so a typo match never lands on "para" or "con".
            await self._redis.ft(self.index_name).create_index(
                _index_fields(), definition=definition, stopwords=sorted(_FILLER)
            )
        except ResponseError as exc:
            # Another process may have won the race; its background scan may still be running.
            if "already exists" not in str(exc).lower():
                raise
            created = False
        await self._wait_indexed(timeout_s)
        return created

    async def _wait_indexed(self, timeout_s: float) -> None:
        # Documents written before FT.CREATE are indexed in the background; a search right after
        # would silently miss them.
        deadline = time.monotonic() + timeout_s
        while True:
            info = await self._redis.ft(self.index_name).info()
            if not int(_get(info, "indexing") or 0):  # int() reads 0, "0" and b"0" alike
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"index {self.index_name} still indexing after {timeout_s}s")
            await asyncio.sleep(0.05)

    async def upsert(self, products: Iterable[Product]) -> int:
        """Write (create or replace) products in pipelined batches; returns how many were written."""
        return await self._write(products, only_new=False)

    async def _write(self, products: Iterable[Product], *, only_new: bool) -> int:
        written = 0
        batch: list[Product] = []
        for product in products:
            batch.append(product)
            if len(batch) >= _WRITE_CHUNK:
                written += await self._write_batch(batch, only_new=only_new)
                batch = []
        if batch:
            written += await self._write_batch(batch, only_new=only_new)
        return written

    async def _write_batch(self, batch: Sequence[Product], *, only_new: bool) -> int:
        pipe = self._redis.pipeline(transaction=False)
        for product in batch:
            doc = product.model_dump(mode="json") | {"_search": _search_fields(product)}
            pipe.json().set(self.key(product.sku), "$", doc, nx=only_new)
        return sum(1 for ok in await pipe.execute() if ok)

    async def get(self, sku: str) -> Product | None:
        """The product with this SKU, or None."""
        doc = await self._redis.json().get(self.key(sku))
        return None if doc is None else Product.model_validate(doc)

    async def search(self, text: str, *, in_stock: bool | None = None, limit: int = 5) -> list[Product]:
        """Products for a customer's words, best first: exact measure, then text score; [] when nothing fits.

        `in_stock=True` keeps stock > 0, `False` keeps stock <= 0, None keeps all.
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        parsed = parse_query(text)
        found: dict[str, Product] = {}
        for product in await self._by_sku(parsed.skus):
            if in_stock is None or (product.stock > 0) == in_stock:
                found[product.sku] = product
        # Fetch more than needed so the re-rank below has room to act.
        candidates = min(MAX_LIMIT, max(4 * limit, 20))
        for stage in _build_stages(parsed, in_stock):
            if len(found) >= limit:
                break
            matched = False
            for query in stage.queries:
                if len(found) >= limit:
                    break
                products = await self._query(query, candidates)
                matched = matched or bool(products)
                # Engine scores of unions vary with insertion order and count typo matches fully, so
                # products having more of the words go first; the stable sort keeps the engine's order
                # among equals.
                products.sort(key=lambda p: -_words_matched(p, parsed.terms))
                for product in products:
                    if len(found) >= limit:
                        break
                    found.setdefault(product.sku, product)
            # Any-word matches only when no product has every word (in stock or not): they would pad
            # good answers with noise, or offer a float for an out-of-stock tinaco.
            if matched or (in_stock is not None and await self._count(stage.text)):
                break
        return list(found.values())[:limit]

    async def resolve(self, text: str, *, unit: str | None = None, limit: int = 6) -> Resolution:
        """The products one order line's words fit: the exact size asked for, every word named, the unit said.

        One product left is the line's; several are the choices to ask the customer about; when no
        product has the size, `near` holds the same words in other sizes. Ties on the words are
        broken by the words as written ("tipo m" is the type M tube) and by `unit` ("1 rollo de
        cable" is the roll, not the cable by the metre).
        """
        parsed = parse_query(text)
        found = await self.search(text, limit=_RESOLVE_POOL)
        if parsed.measures:
            # the measure field, or a measure the name spells out ("1/4\" x 2\"" of a screw whose field is 1/4")
            sized = [p for p in found if (p.measure and canonical_measure(p.measure) in parsed.measures)
                     or _name_measures(p.name) & set(parsed.measures)]
            if not sized:
                return Resolution(fits=[], near=found[:limit])
            found = sized
        if parsed.terms and found:
            scores = [_words_matched(p, parsed.terms) for p in found]
            best = max(scores)
            found = [p for p, score in zip(found, scores, strict=True) if score == best]
        head = parsed.terms[0] if parsed.terms else ""
        found = _best(found, lambda p: phonetic_key(normalize(p.name).split()[0]) == phonetic_key(head))
        # "electronivel para el tinaco": the product named, before what it is for
        found = _best(found, lambda p: phonetic_key(head) in {
            phonetic_key(w) for w in re.findall(r"[a-z0-9]+", normalize(p.name).lower())})
        found = _best(found, lambda p: len(_written_words(text) & _written_words(p.name)))
        # "gas para el soplete" is the cylinder made for the torch, not the torch: what the product is for
        if purpose := _PURPOSE.search(normalize(text).lower()):
            made_for = re.compile(rf"\bpara (?:el |la )?{purpose[1][:4]}")
            found = _best(found, lambda p: bool(made_for.search(normalize(p.name).lower())))
        # "tubo pvc de 1/2" is the water pipe: the electrician's conduit is named when meant
        found = _best(found, lambda p: not (_written_words(p.name) & (_SAID_WHEN_MEANT - _written_words(text))))
        if unit:
            singular = selling_unit(unit)
            found = _best(found, lambda p: p.unit == singular)
            if singular in ("metro", "m", "mts"):  # "20 metros de tuboplus": the pipe, sold by the length
                found = _best(found, lambda p: p.unit in ("metro", "tramo", "rollo"))
            if unit in _CONTAINER_LITRES:  # "1 cubeta de sellador": the 19 L one, not the tube
                found = _best(found, lambda p: bool(holds(p.name, unit)))
        else:  # "pegamento de a litro": the unit said among the words
            said = _written_words(text)
            found = _best(found, lambda p: p.unit in said and p.unit != "pieza")
            for container in said & _CONTAINER_LITRES.keys():  # "vinílica blanca comex cubeta x3": the 19 L one
                found = _best(found, lambda p, c=container: bool(holds(p.name, c)))
        return Resolution(fits=found[:limit], near=[])

    async def _query(self, query: str, limit: int) -> list[Product]:
        result = await self._redis.ft(self.index_name).search(
            # BM25STD is Redis 8's default; naming it keeps the ranking the same on Redis Stack 7.4.
            Query(query).dialect(2).scorer("BM25STD").paging(0, limit).return_field("$", as_field="json")
        )
        if isinstance(result, dict):  # a client opened with protocol=3 gets the raw RESP3 map
            rows = _get(result, "results") or []
            return [Product.model_validate_json(_get(_get(row, "extra_attributes"), "json")) for row in rows]
        return [Product.model_validate_json(doc.json) for doc in result.docs]

    async def _count(self, query: str) -> int:
        result = await self._redis.ft(self.index_name).search(Query(query).dialect(2).no_content().paging(0, 0))
        return int(_get(result, "total_results") if isinstance(result, dict) else result.total)

    async def _by_sku(self, skus: Sequence[str]) -> list[Product]:
        # A customer who pastes a SKU means that product: look it up directly, first.
        if not skus:
            return []
        docs = await self._redis.json().mget([self.key(s) for s in skus], "$")
        return [Product.model_validate(doc[0]) for doc in docs if doc]

    async def adjust_stock(self, sku: str, delta: int) -> int:
        """Atomically add `delta` (negative to take) to a product's stock; returns the new stock.

        Stock may go below zero (a backorder); ProductNotFoundError if there is no such product.
        """
        key = self.key(sku)
        try:
            result = await self._redis.json().numincrby(key, "$.stock", delta)
        except ResponseError:
            if not await self._redis.exists(key):
                raise ProductNotFoundError(f"no product {sku!r} in tenant {self.tenant!r}") from None
            raise
        values = json.loads(result) if isinstance(result, str | bytes) else result
        value = values[0] if isinstance(values, list) else values
        if value is None:
            raise ProductNotFoundError(f"product {sku!r} in tenant {self.tenant!r} has no stock field")
        return int(value)

    async def load_demo(self) -> int:
        """Create the index and add the demo products that are missing; returns how many were added.

        Existing products are left alone, so re-seeding never resets live stock.
        """
        await self.ensure_index()
        return await self._write(demo_products(), only_new=True)


def _get(mapping: dict[Any, Any], key: str) -> Any:
    """A RESP3 map's value under `key`, whether the client decodes responses or not."""
    return mapping.get(key, mapping.get(key.encode()))
