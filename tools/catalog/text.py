"""Reading a customer's words: accent and inch-mark folding, Mexican-Spanish sound keys, sizes and `parse_query`.

Also the word tables this reading rests on: fillers (the index's stop words too), units and
quantity units.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from core.locale import fold_accents

_MAX_TERMS = 12  # a long message still makes a bounded query

_FRACTION_CHARS = {"½": " 1/2", "¼": " 1/4", "¾": " 3/4", "⅛": " 1/8", "⅜": " 3/8", "⅝": " 5/8", "⅞": " 7/8"}
_QUOTES_RE = re.compile(r"''|[\u201c\u201d\u2033\u02ba\u301e\u301d]")
_NUMBER_WORDS = {"un": "1", "una": "1", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
                 "seis": "6", "siete": "7", "ocho": "8", "nueve": "9", "diez": "10", "doce": "12"}
_NUMWORD = r"(?:un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce)"
_PULGADA = r"(?:pulgadas?|pulgs?|plgs?)"


def _n(word: str) -> str:
    return _NUMBER_WORDS.get(word, word)


# Spoken sizes become numeric ones with an inch mark, in this order (longest phrases first).
_SPOKEN_MEASURES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"\bmedia\s+docena\b", " "),  # a quantity, not half an inch
        (rf"\b(\d|{_NUMWORD})\s*(?:{_PULGADA}\s+)?y\s+media\b", lambda m: f' {_n(m[1])} 1/2" '),
        (rf"\b(\d|{_NUMWORD})\s*(?:{_PULGADA}\s+)?y\s+(?:un\s+)?cuarto\b", lambda m: f' {_n(m[1])} 1/4" '),
        (rf"\b(?:una?\s+)?{_PULGADA}\s+y\s+media\b", ' 1 1/2" '),
        (rf"\b(?:una?\s+)?{_PULGADA}\s+y\s+(?:un\s+)?cuarto\b", ' 1 1/4" '),
        (rf"\bmedia\s+{_PULGADA}\b", ' 1/2" '),
        (rf"\btres\s+cuartos(?:\s+de\s+{_PULGADA})?\b", ' 3/4" '),
        (rf"\b(?:(?:un|1)\s+)?cuarto\s+de\s+{_PULGADA}\b|\bun\s+cuarto\b", ' 1/4" '),
        (rf"\b(un|tres|cinco|siete)\s+octavos?(?:\s+de\s+{_PULGADA})?\b", lambda m: f' {_n(m[1])}/8" '),
        (r"\b(tres|cinco|siete)\s+dieciseisavos\b", lambda m: f' {_n(m[1])}/16" '),
        (rf"\b({_NUMWORD})\s+{_PULGADA}\b", lambda m: f' {_n(m[1])}" '),
        (rf"(\d)\s*(?:{_PULGADA}|in|inch|inches)\b\.?", r'\1"'),
        # Copper and PVC by their nominal millimetres; 20, 25 and 32 mm name Tuboplus sizes as written
        (r"\b13\s*mm\b", ' 1/2" '), (r"\b19\s*mm\b", ' 3/4" '),
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


def normalize(text: str) -> str:
    """Lowercase, fold accents and vulgar fractions, unify inch marks; the form every rule below reads."""
    for char, plain in _FRACTION_CHARS.items():
        text = text.replace(char, plain)
    text = text.replace("°", " ").replace("º", " ")  # NFKD would turn "º" into "o": "90º" -> "90o"
    text = _QUOTES_RE.sub('"', text)
    return fold_accents(text)


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


def spell_sizes(text: str) -> str:
    """Spoken sizes as numerals with an inch mark ("codo de media" -> 'codo de 1/2"'), in folded text."""
    for pattern, repl in _SPOKEN_MEASURES:
        text = pattern.sub(repl, text)
    return text


def _extract_measures(text: str) -> tuple[list[str], str]:
    """Find sizes in normalized text: their canonical forms, and the text with them blanked out."""
    text = spell_sizes(text)
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
