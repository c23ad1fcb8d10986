"""The details the rules reader extracts: how many units, which product words, which option shown.

Pure functions over `lexicon.normalize(text)`; `rules`, `acts` and `lines` call them once they know
what the message is about (a promise's date and amount come from `dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.understanding import lexicon as lx
from graph.understanding.english import ENGLISH, names_a_product


@dataclass(frozen=True)
class _Selection:
    index: int | None
    hint: str | None
    strong: bool  # an ordinal, a number or an attribute; weak: an article and a word ("la rotoplas")
    span: tuple[int, int]


# words that name goods only with their complement: "centro de carga", not "en el centro"
_NOT_GOODS = re.compile(r"\bcentros?\b(?! de carga)")


def _names_goods(norm: str) -> bool:
    return bool(lx.PRODUCT.search(_NOT_GOODS.sub(" ", norm)) or names_a_product(norm))


def _has_product(norm: str) -> bool:
    return _names_goods(norm) or bool(lx.MEASURE.search(norm))


# A number right after these words counts even after the product ("a como el codo? ocupo como 50").
_QUANTITY_LEAD = frozenset({"como", "unos", "unas", "aprox", "aproximadamente", "sean", "son", "otros", "otras",
                            "necesito", "ocupo", "quiero", "dame", "mandame", "ponme", "need", "want"})


def _has_count_unit(norm: str) -> bool:
    return any(tok in lx.COUNT_UNIT for tok in norm.split())


def _count_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """The number starting at token i (digits, words, "una docena", "media docena") and tokens used."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok in ("media", "medio") and nxt in lx.GROUP_WORDS and lx.GROUP_WORDS[nxt] >= 12:
        return lx.GROUP_WORDS[nxt] // 2, 2  # "media docena": 6, "medio millar": 500
    if tok == "half" and (group := tokens[i + 1 + (nxt in ("a", "an")): i + 3 + (nxt in ("a", "an"))][:1]) \
            and group[0] in lx.GROUP_WORDS:
        return lx.GROUP_WORDS[group[0]] // 2, 2 + (nxt in ("a", "an"))  # "half a dozen": 6
    if tok in ("a", "un", "una") and nxt in lx.GROUP_WORDS:
        after = tokens[i + 2: i + 4]
        if after[:1] in (["de"], ["of"]) and after[1:] and after[1] in lx.GROUP_WORDS:
            return lx.GROUP_WORDS[nxt] * lx.GROUP_WORDS[after[1]], 4  # "un par de docenas": 24
        return lx.GROUP_WORDS[nxt], 2 + (tokens[i + 2: i + 3] == ["of"])
    if tok.isdigit():
        value, used = int(tok), 1
    elif tok in lx.NUMBER_WORDS:
        read = lx.read_number_words(tokens, i)
        if read is None:
            return None
        value, used = read
    else:
        return None
    group = tokens[i + used] if i + used < len(tokens) else ""
    if group in lx.GROUP_WORDS:
        return value * lx.GROUP_WORDS[group], used + 1
    return value, used


def _quantity(norm: str) -> int | None:
    """How many units are wanted: the first number that counts rather than sizes or labels."""
    tokens = norm.split()
    seen_product = False
    for i, tok in enumerate(tokens):
        read = _count_at(tokens, i)
        if read is None:
            seen_product = seen_product or bool(lx.PRODUCT.fullmatch(tok))
            continue
        value, used = read
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + used] if i + used < len(tokens) else ""
        if tok in ("un", "una", "uno", "a", "one") and used == 1 and not (
            lx.PRODUCT.fullmatch(nxt) or nxt in lx.COUNT_UNIT
        ):
            continue  # "un pedido", "una semana": an article, not a count
        mixed = re.fullmatch(r"\d{1,2}/\d{1,2}\"?", nxt) and tok.isdigit() and value <= 12
        if nxt in lx.MEASURE_UNIT or mixed or not 0 < value <= 100_000:
            continue  # "2 pulgadas", "4 1/2", "1100 l" ("20 3/4 pvc elbows" is twenty: no size is 20 3/4")
        if nxt in ("m", "mts", "metros") and tokens[i + used + 1:i + used + 2] and (
                tokens[i + used + 1] in lx.COUNT_UNIT or tokens[i + used + 1] in ("roll", "rolls")):
            continue  # "a 100 m roll of wire": the roll's length, not a count
        if prev in lx.NUMBER_LABEL or prev in ("$", "y") or tok.startswith("$"):
            continue  # "calibre 12", "factura 512", "el 4"
        if prev == "de" and (seen_product or not (lx.PRODUCT.fullmatch(nxt) or nxt in lx.COUNT_UNIT)
                             or nxt in ("metros", "metro")):
            continue  # "codo de 90", but "un pedido de 8 tramos" counts
        if seen_product and prev not in _QUANTITY_LEAD and not lx.ORDER_VERB.fullmatch(prev):
            continue  # "tinaco rotoplas 1100": after the product a number describes it
        return value
    return None


_PHRASE_FILLERS = lx.any_of(
    r"me regalas?", r"me (?:pasas|pasan|das|dan|puedes? pasar)", r"pasame", r"lo que tengas de", r"que marcas de",
    r"que tipos? de", r"que tienen en", r"existencias? de", r"de mayoreo(?: en)?", r"lista de", r"por pieza",
    r"quiero hacer un pedido de", r"hacer un pedido de", r"un pedido de", r"pedido", r"hazme", r"dan",
    r"what is the", r"what is", r"can you", r"tambien", r"porfavor",
    r"pues", r"please", r"aun", r"todavia", r"buen(?:os|as)? (?:dia|dias|tardes|noches)", r"buenas",
    r"que tal", r"hola", r"oye", r"oigan", r"oiga", r"hi", r"hello", r"gracias", r"sin falta", r"necesito saber si",
    r"(?:me )?(?:puedes|pueden|podrias|podrian|podria)(?: dar)?", r"quisiera saber", r"saber", r"una pregunta",
    r"ando",
)
_CUES = re.compile("|".join(p.pattern for p in (lx.PRICE, lx.ORDER_VERB, lx.SEARCH)))
_LATE_FILLERS = lx.any_of(r"cuanto", r"a cuanto", r"en cuanto")  # after the cues: "cuanto cuesta" goes whole
_TAIL = re.compile(
    r"\s(?:para|a|al) (?:manana|hoy|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|la obra|"
    r"la tarde|ya|ahorita|entregar|el pedido|pedido)\b.*$"
    r"|\s(?:a la obra|para la obra|en la obra|al pedido|como (?:las?|los?) del pedido|cuando|can you|"
    r"sin falta|en la tarde)\b.*$"
)
_NEXT_ITEM = re.compile(r"\sy (?:\d+|otr[oa]s?|un[oa]?s?|dos|tres|cuatro|cinco|seis|diez|doce)(?= [a-z]).*$")
_LEADING_COUNT = re.compile(
    r"^(?:(?:\d+|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|media|a)\s)+"
    r"(?:(?:docenas?|par|pares|dozen|couple|pair|cientos|millar(?:es)?)\s(?:de\s|of\s)?)?"
    r"(?:(?:cajas?|rollos?|metros?|cubetas?|tramos?|piezas?|kilos?|bultos?|paquetes?|juegos?|bolsas?|botes?)"
    r"\s(?:de\s)?)?"
)


def _product_query(norm: str, *, strip_count: bool) -> str | None:
    """The product words of the message, sizes kept ("tubos pvc de 1/2"), or None."""
    segments = [s.strip() for s in norm.split(",") if s.strip()]
    if not segments:
        return None
    # The clause that names a product next to a cue ("mejor no los codos, mandame 20 coples"), else the
    # first that names a product ("pedido: 12 tubos cpvc, 30 codos").
    with_product = [s for s in segments if _has_product(s)]
    segment = next((s for s in with_product if _CUES.search(s)), with_product[0] if with_product else segments[0])
    segment = _NEXT_ITEM.sub("", _TAIL.sub("", segment))
    segment = _LATE_FILLERS.sub(" ", _CUES.sub(" ", _PHRASE_FILLERS.sub(" ", segment)))
    tokens = segment.split()
    while tokens and tokens[0] in lx.EDGE_STOPWORDS and tokens[0] not in ("un", "una", "a"):
        tokens.pop(0)  # articles that may count ("una caja de pijas") wait for the count stripping
    text = " ".join(tokens)
    if strip_count:
        text = _LEADING_COUNT.sub("", text + " ").strip()
    tokens = text.split()
    while tokens and tokens[0] in lx.EDGE_STOPWORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in lx.EDGE_STOPWORDS:
        tokens.pop()
    return " ".join(tokens) or None


_HINT_TAIL = re.compile(r"\s(?:pero|porfavor|pues|gracias|please|y|que)\b.*$")
_OPTION_WORD_NUMBERS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
                        "ocho": 8, "nueve": 9, "diez": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _clean_hint(raw: str) -> str | None:
    raw = raw.strip()
    if verb := lx.ORDER_VERB.search(raw):  # "el pvc de 90 apártame 20": the pick ends at the order verb
        raw = raw[:verb.start()]
    tokens = _HINT_TAIL.sub("", " " + raw).split()
    while tokens and tokens[-1] in lx.EDGE_STOPWORDS:
        tokens.pop()
    return " ".join(tokens) or None


# No list of options shown is longer than this: a bigger number names a detail ("el 90", "la 1100").
_MOST_OPTIONS = 10


def _selection(norm: str) -> _Selection | None:
    """Which option the message points at: by position, by attribute, or just "ese"."""
    if match := lx.OPTION_MIDDLE.search(norm):
        return _Selection(None, "en medio", True, match.span())
    if match := lx.ORDINAL.search(norm):
        return _Selection(lx.ORDINALS[match["word"] or match["alone"]], None, True, match.span())
    if match := lx.OPTION_NUMBER.search(norm):
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else _OPTION_WORD_NUMBERS[raw]
        if number > _MOST_OPTIONS:
            return _Selection(None, raw, True, match.span())
        if number >= 1:
            return _Selection(number - 1, None, True, match.span())
    if match := re.fullmatch(r"#?\s?(\d{1,2})", norm):
        number = int(match.group(1))
        if number > _MOST_OPTIONS:  # "90" to "¿el de 45 o el de 90?": a detail, no list is that long
            return _Selection(None, match.group(1), True, match.span())
        if number >= 1:
            return _Selection(number - 1, None, True, match.span())
    if match := lx.OPTION_BY_ATTRIBUTE.search(norm):
        hint = _clean_hint(match["hint"])
        if hint:
            return _Selection(None, hint, True, match.span())
    if match := lx.OPTION_SUPERLATIVE.search(norm):
        return _Selection(None, _clean_hint(match["hint"]), True, match.span())
    if match := lx.OPTION_DEMONSTRATIVE.search(norm):
        return _Selection(None, None, True, match.span())
    if (match := lx.OPTION_ARTICLE.fullmatch(norm)) and len(match["hint"].split()) <= 3:
        return _Selection(None, _clean_hint(match["hint"]), False, match.span())
    return _details_listed(norm)


def _details_listed(norm: str) -> _Selection | None:
    """ "bronze, the threaded ones", "de cobre, la de 3/4": two details of one option, said apart."""
    parts = [part.strip() for part in norm.split(",") if part.strip()]
    if not 2 <= len(parts) <= 3:
        return None
    hints = []
    for part in parts:
        picked = _selection(part)
        if picked is not None and picked.hint:
            hints.append(picked.hint)
        elif len(part.split()) <= 2 and all(ENGLISH.get(tok, tok) in lx.ATTRIBUTES or lx.MEASURE.fullmatch(tok)
                                            for tok in part.split()):
            hints.append(part)
        else:
            return None
    words = " ".join(ENGLISH.get(tok, tok) for hint in hints for tok in hint.split())
    return _Selection(None, words, True, (0, len(norm)))
