"""A tenant's product catalog: JSON documents in Redis and a Query Engine index tuned for WhatsApp Spanish.

Each product is one JSON document at `ork:{tenant}:product:<sku>`; the index
`ork:{tenant}:idx:catalog` covers only that tenant's prefix, so tenants never share
documents or an index. Next to the product's own fields each document carries a derived
`_search` object (canonical measure, phonetic keys, numeric price) that only the index reads.

`parse_query` turns a customer's message ("nesesito 10 tuvos pvc de 1/2") into search
terms and measures; `Catalog.search` runs a short cascade of queries built from those
words only, so user text never reaches the query syntax.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer
from redis.asyncio import Redis
from redis.commands.search.field import NumericField, TagField, TextField
from redis.commands.search.index_definition import IndexDefinition, IndexType
from redis.commands.search.query import Query
from redis.exceptions import ResponseError

from core.tenants import TenantKeys

MAX_LIMIT = 50
_MAX_TERMS = 12  # a long message still makes a bounded query
_WRITE_CHUNK = 500
_TEXT_FIELDS = "@name|tags|brand"
_FUZZY_WEIGHT = 0.3
# Beside this file rather than importlib.resources: an editable install made while `tools` had no
# __init__.py imports it as a namespace package, which `resources.files` cannot read from.
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


class ProductNotFoundError(LookupError):
    """No product with this SKU in the tenant's catalog."""


class Product(BaseModel):
    """A catalog product, as in `tools/demo_data/catalog.json`; prices in MXN before IVA."""

    # `extra="ignore"` drops the derived `_search` object stored beside the product.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")
    name: str = Field(min_length=1, max_length=300)
    category: str
    brand: str
    unit: str
    list_price: Decimal = Field(ge=0, decimal_places=2)
    # Not `ge=0`: adjust_stock may take it below zero (a backorder), and reads must still work.
    stock: int
    reorder_point: int = Field(ge=0)
    lead_time_days: int = Field(ge=0)
    supplier_id: str
    measure: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_serializer("list_price", when_used="json")
    def _price_as_centavos(self, value: Decimal) -> str:
        return f"{value:.2f}"


# --- understanding customer text -------------------------------------------------

_FRACTION_CHARS = {"½": " 1/2", "¼": " 1/4", "¾": " 3/4", "⅛": " 1/8", "⅜": " 3/8", "⅝": " 5/8", "⅞": " 7/8"}
_QUOTES_RE = re.compile(r"''|[\u201c\u201d\u2033\u02ba\u301e\u301d]")
_NUMBER_WORDS = {"un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
                 "seis": "6", "siete": "7", "ocho": "8", "diez": "10", "doce": "12"}
_NUMWORD = r"(?:un|una|dos|tres|cuatro|cinco|seis|ocho|diez|doce)"
_PULGADA = r"(?:pulgadas?|pulgs?|plgs?)"


def _n(word: str) -> str:
    return _NUMBER_WORDS.get(word, word)


# Spoken sizes become numeric ones with an inch mark, in this order (longest phrases first).
_SPOKEN_MEASURES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bmedia\s+docena\b", " "),  # a quantity, not half an inch
        (rf"\b(?:una?\s+)?{_PULGADA}\s+y\s+media\b", ' 1 1/2" '),
        (rf"\b(?:una?\s+)?{_PULGADA}\s+y\s+(?:un\s+)?cuarto\b", ' 1 1/4" '),
        (rf"\b(\d|{_NUMWORD})\s*(?:{_PULGADA}\s+)?y\s+media\b", lambda m: f' {_n(m[1])} 1/2" '),
        (rf"\b(\d|{_NUMWORD})\s*(?:{_PULGADA}\s+)?y\s+(?:un\s+)?cuarto\b", lambda m: f' {_n(m[1])} 1/4" '),
        (rf"\bmedia\s+{_PULGADA}\b", ' 1/2" '),
        (rf"\btres\s+cuartos(?:\s+de\s+{_PULGADA})?\b", ' 3/4" '),
        (rf"\b(?:(?:un|1)\s+)?cuarto\s+de\s+{_PULGADA}\b|\bun\s+cuarto\b", ' 1/4" '),
        (rf"\b(un|tres|cinco|siete)\s+octavos?(?:\s+de\s+{_PULGADA})?\b", lambda m: f' {_n(m[1])}/8" '),
        (r"\b(tres|cinco|siete)\s+dieciseisavos\b", lambda m: f' {_n(m[1])}/16" '),
        (rf"\b({_NUMWORD})\s+{_PULGADA}\b", lambda m: f' {_n(m[1])}" '),
        (rf"(\d)\s*(?:{_PULGADA}|in)\b\.?", r'\1"'),
        (r"\bmedia\b", ' 1/2" '),  # "codo de media": what a plumber means by "media"
        (rf"\b{_PULGADA}\b", ' 1" '),  # "tubo de pulgada"
    )
)
# A size: mixed (1 1/2), fraction (3/4) or whole inches only with an inch mark (2"); two joined
# by x / por / a make a reducer's size (3/4" x 1/2"). Quantities ("10 tubos") never match.
_SIZE = r'(?:[1-9]\s+\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}|\d{1,2}(?=\s*"))\s*"?'
# "1/2 HP" or "1/2 kg" is not a size in inches.
_NOT_INCHES = r"(?!\s*(?:hp|kg|kgs|lb|lbs|oz|l|lt|lts|litros?|ml|m|mts?|metros?|mm|cm|w)\b)"
_MEASURE_RE = re.compile(
    rf"(?<![\w/.])(?P<a>{_SIZE})(?:\s*(?:x|por|a)\s*(?P<b>{_SIZE}))?{_NOT_INCHES}(?![\w/])"
)
_SIZE_PARTS_RE = re.compile(r'^(?:(?P<whole>\d{1,2})(?:\s+|(?="|$)))?(?:(?P<num>\d{1,2})/(?P<den>\d{1,2}))?\s*"?$')
_TOKEN_RE = re.compile(r"[a-z]+|\d+")
_WORD_RE = re.compile(r"^[a-z0-9]+$")
# Three or more dash-joined parts, one with a letter ("PVC-TUB-050-6M", "WC-COF-VLL"); two parts
# ("PP-R", "THW-LS", "codo-90") are ordinary words.
_SKU_RE = re.compile(r"(?<![\w-])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+){2,}(?![\w-])")

# Greetings, verbs of asking, articles and the like: they say nothing about the product.
_FILLER = frozenset({
    "a", "al", "algo", "algun", "alguna", "alguno", "ahi", "aqui", "bien", "buen", "buena", "buenas", "buenos",
    "busco", "buscaba", "buscando", "caja", "cajas", "como", "con", "cotiza", "cotizacion", "cotizame",
    "cotizar", "costo", "cual", "cuales", "cuanto", "cuantos", "cuanta", "cuantas", "cuesta", "cuestan", "de",
    "del", "deme", "denme", "dame", "dia", "dias", "disculpe", "e", "el", "ella", "ellos", "en", "envien", "es",
    "esa", "esas", "ese", "eso", "esos", "esta", "estan", "este", "esto", "estos", "favor", "gracias", "hay",
    "hola", "hoy", "joven", "la", "las", "le", "les", "lo", "los", "mande", "mandame", "manden", "manana",
    "maneja", "manejan", "marca", "mas", "me", "medida", "medidas", "mi", "mis", "modelo", "necesitaba",
    "necesitamos", "necesito", "no", "nos", "o", "ocupo", "ocupamos", "ocupaba", "otra", "otras", "otro",
    "otros", "oye", "pa", "para", "pf", "pieza", "piezas", "pls", "plis", "por", "porfa", "porfavor", "precio",
    "precios", "presupuesto", "pz", "pza", "pzas", "pzs", "q", "que", "queria", "quiero", "quisiera",
    "quisieramos", "requiero", "sale", "salen", "se", "senor", "senora", "si", "son", "su", "sus", "tambien",
    "te", "tendra", "tendran", "tiene", "tienen", "tienes", "tu", "u", "un", "una", "unas", "unidad",
    "unidades", "uno", "unos", "urge", "urgente", "usted", "ustedes", "vale", "valen", "vende", "venden", "x",
    "xfa", "xfavor", "y", "ya", "yo", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
    "diez", "once", "doce", "quince", "veinte", "treinta", "cuarenta", "cincuenta", "cien", "docena", "docenas",
    "tramo", "tramos", "tarde", "tardes", "noche", "noches"
})
# Said after a number they qualify a size ("tinaco de 1100 litros"), never a product.
_UNITS = frozenset({
    "l", "lt", "lts", "litro", "litros", "m", "mt", "mts", "metro", "metros", "mm", "milimetros", "cm",
    "centimetros", "w", "watt", "watts", "hp", "kg", "kilo", "kilos", "g", "gr", "grs", "gramos", "ml", "oz",
    "onzas", "lb", "libras", "v", "volts", "a", "amp", "amperes", "awg", "cal", "calibre"
})
# Said after a number they make it a quantity ("10 pzas").
_QUANTITY_UNITS = frozenset({
    "pieza", "piezas", "pz", "pza", "pzas", "pzs", "unidad", "unidades", "tramo", "tramos", "juego", "juegos"
})
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
}


def normalize(text: str) -> str:
    """Lowercase, fold accents and vulgar fractions, unify inch marks; the form every rule below reads."""
    for char, plain in _FRACTION_CHARS.items():
        text = text.replace(char, plain)
    text = text.replace("°", " ").replace("º", " ")  # NFKD would turn "º" into "o": "90º" -> "90o"
    text = _QUOTES_RE.sub('"', text)
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # pure, and every search re-ranks candidates by it
def phonetic_key(word: str) -> str:
    """A Mexican-Spanish sound key: b/v, c/s/z, c/k/qu, ll/y, silent h, plural and final vowel folded.

    "tuvos", "tubos" and "tubo" share "tub"; "kodo" and "codo" share "kod"; "pbc" and "pvc" share "pbk".
    """
    w = normalize(word)
    if w.isdigit():
        return w
    w = w.replace("ch", "\0").replace("qu", "k")
    w = re.sub(r"cc(?=[ei])", "s", w)
    w = re.sub(r"c(?=[ei])", "s", w)
    w = w.replace("c", "k").replace("\0", "ch")
    w = re.sub(r"gu(?=[ei])", "g", w)
    w = w.replace("ll", "y").replace("z", "s").replace("v", "b")
    w = re.sub(r"(?<!c)h", "", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    if len(w) > 2 and w.endswith("s"):
        w = w[:-1]
    if len(w) > 3 and w[-1] in "aeiou":
        w = w[:-1]
    return w


_FILLER_KEYS = frozenset(phonetic_key(w) for w in _FILLER if len(w) >= 5)


def _is_filler(word: str) -> bool:
    # Misspelt long fillers ("nesesito", "kiero") are caught by sound; short words only as spelt,
    # since a short key ("kod") could belong to a product.
    return word in _FILLER or (len(word) >= 5 and not word.isdigit() and phonetic_key(word) in _FILLER_KEYS)


def _canonical_size(raw: str) -> str | None:
    parts = _SIZE_PARTS_RE.match(raw.strip())
    if not parts or not (parts["whole"] or parts["num"]):
        return None
    whole = int(parts["whole"] or 0)
    if parts["num"]:
        num, den = int(parts["num"]), int(parts["den"])
        if den not in (2, 4, 8, 16, 32, 64) or not 0 < num < den:
            return None  # "50/50" solder or a date, not a size
        frac = Fraction(num, den)
        return f'{whole} {frac}"' if whole else f'{frac}"'
    return f'{whole}"' if whole else None


def _extract_measures(text: str) -> tuple[list[str], str]:
    """Find sizes in normalized text: their canonical forms, and the text with them blanked out."""
    for pattern, repl in _SPOKEN_MEASURES:
        text = pattern.sub(repl, text)
    text = re.sub(r"(\d)\s*-\s*(\d{1,2}/\d{1,2})", r"\1 \2", text)  # 1-1/2 -> 1 1/2
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        first = _canonical_size(match["a"])
        if first is None:
            return match[0]
        second = _canonical_size(match["b"]) if match["b"] else None
        found.append(f"{first} x {second}" if second else first)
        return " "

    return found, _MEASURE_RE.sub(take, text)


def canonical_measure(measure: str) -> str:
    """The canonical form of a product's measure (`1 1/2"`, `3/4" x 1/2"`), else its folded text."""
    found, rest = _extract_measures(normalize(measure))
    if len(found) == 1 and not rest.strip():
        return found[0]
    return " ".join(normalize(measure).split())


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a customer's message asks for: words to match, sizes, and SKUs written verbatim."""

    terms: tuple[str, ...]
    measures: tuple[str, ...]
    skus: tuple[str, ...]


def parse_query(text: str) -> ParsedQuery:
    """Split customer text into search terms (no fillers, no quantities) and canonical measures."""
    skus = tuple(dict.fromkeys(m.upper() for m in _SKU_RE.findall(text)))[:5]
    measures, rest = _extract_measures(normalize(_SKU_RE.sub(" ", text)))
    tokens = _TOKEN_RE.findall(rest)
    terms: list[str] = []
    seen_content = False
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token.isdigit():
            if _is_number_term(prev, nxt, seen_content):
                terms.append(token)
        elif token in _UNITS and prev.isdigit():
            continue  # "1100 litros": the number carries the size, the catalog spells the unit its way
        elif not _is_filler(token):
            terms.append(token)
            seen_content = True
    return ParsedQuery(terms=tuple(dict.fromkeys(terms))[:_MAX_TERMS], measures=tuple(dict.fromkeys(measures)),
                       skus=skus)


def _is_number_term(prev: str, nxt: str, seen_content: bool) -> bool:
    """Whether a bare number describes the product ("codo de 90", "tinaco 1100") or counts it ("10 tubos")."""
    if nxt in _UNITS:
        return True  # "x 15 m", "1100 litros": a length or capacity
    if prev in ("x", "por") or nxt in _QUANTITY_UNITS:
        return False  # "x10", "10 pzas"
    # After a product word or "de" it describes ("codo 45 pvc", "tinaco de 1100"); before the first
    # product word it counts ("10 tubos", "necesito 10 de 1/2").
    return prev == "de" or seen_content


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


def _search_fields(product: Product) -> dict[str, Any]:
    """The derived, index-only part of a product's document."""
    fields: dict[str, Any] = {
        "phon": " ".join(_product_keys(product)),
        "price": float(product.list_price),  # NUMERIC needs a JSON number; list_price stays an exact string
    }
    if product.measure:
        fields["measure"] = canonical_measure(product.measure)
    return fields


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


def demo_products() -> list[Product]:
    """The demo catalog of `tools/demo_data/catalog.json`."""
    text = (DEMO_DATA / "catalog.json").read_text(encoding="utf-8")
    return [Product.model_validate(item) for item in json.loads(text)]


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
