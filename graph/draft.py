"""The draft order's lines and the pure steps that change them: add, find by words, pick among options.

A draft line is a JSON dict `{sku, name, quantity, unit, list_price, stock, backorder}`: `quantity`
is what goes now (reserved at confirmation), `backorder` what follows when stock arrives. A line
with `quantity > stock` is short: the order subgraph offers what is available before quoting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from graph.understanding import lexicon as lx
from graph.understanding.lines import noun_of
from tools.catalog import Product, canonical_measure, holds, phonetic_key, selling_unit
from tools.catalog import normalize as fold

DraftLine = dict[str, Any]
_NOISE = frozenset({"el", "la", "los", "las", "de", "del", "que", "un", "una", "uno", "unos", "unas", "the", "of",
                    "a", "en", "y", "mejor", "porfavor", "pieza", "piezas", "one", "ones", "please", "pls"})
# "la más económica" is a price, "la económica" names a product line as often as a price
_CHEAPEST = ("mas barat", "menos car", "cheap", "menor precio", "mas economic", "lower", "lowest", "least expensive")
_DEAREST = ("mas car", "expensive", "mejor calidad")
# "el más grande", "las más largas": the option whose measure (capacity, length, size) is the largest
_BIGGEST = ("mas grande", "mas larg", "mas alt", "mas ancho", "mas ancha", "mayor capacidad", "biggest", "largest",
            "longest")
_SMALLEST = ("mas chic", "mas pequen", "mas cort", "mas angost", "menor capacidad", "smallest", "shortest")
# "el largo", "la chica", "the big one" among two or three sizes: the end of the range the word names
_BIG_WORDS = frozenset({"grande", "grandes", "largo", "larga", "largos", "largas", "alto", "alta", "big", "long",
                        "large", "tall"})
_SMALL_WORDS = frozenset({"chico", "chica", "chicos", "chicas", "chiquito", "chiquita", "pequeno", "pequena", "corto",
                          "corta", "cortos", "cortas", "small", "short", "little"})
_NUMBER = re.compile(r"(\d+) (\d+)/(\d+)|(\d+)/(\d+)|(\d+(?:\.\d+)?)")


def line_of(product: Product | dict[str, Any], quantity: int, *, asked: str | None = None,
            others: list[dict[str, Any]] | None = None) -> DraftLine:
    """A draft line for `quantity` units of a product (a `Product` or an option shown as JSON).

    `asked` keeps the customer's words for it: "las de bronce" later means those words, in bronze;
    `others` the options it was picked among: "mejor el otro" is the one not picked.
    """
    p = product.model_dump(mode="json") if isinstance(product, Product) else product
    line: DraftLine = {"sku": p["sku"], "name": p["name"], "quantity": quantity, "unit": p.get("unit") or "pieza",
                       "list_price": str(p["list_price"]), "stock": int(p.get("stock") or 0), "backorder": 0,
                       "asked": asked or p["name"]}
    if p.get("brand"):
        line["brand"] = p["brand"]  # "de la pretul ponme 6": a line is picked by its brand too
    if others:
        line["others"] = others[:MAX_OTHERS]
    return line


# "Pija … (caja con 100)": the pieces a box holds, as the catalog names it.
_PACK = re.compile(r"\((?:caja|bolsa|paquete) con (\d+)\)")
_PIECES = frozenset({"pieza", "piezas", "pza", "pzas", "pz", "pzs", "unidad", "unidades", "piece", "pieces", "pcs"})


def in_packs(product: Product | dict[str, Any], quantity: int, said_unit: str | None) -> tuple[int, int | None]:
    """The count in the product's own unit, and the pack size when the buyer counted pieces of a pack.

    "300 taquetes" of a box of 100 is 3 boxes; a count under a box's size said with no unit ("5 de pija")
    is boxes already, as regulars count them; pieces said outright round up to whole boxes.
    """
    p = product.model_dump(mode="json") if isinstance(product, Product) else product
    pack = _PACK.search(p.get("name") or "")
    unit = fold(said_unit or "")
    if pack is None or unit not in _PIECES | {""}:
        return quantity, None
    size = int(pack.group(1))
    if size <= 1 or (not unit and quantity < size):
        return quantity, None
    return -(-quantity // size), size


# "Tubo PVC hidráulico 1/2\" x 6 m": the length one tramo of pipe is, as the catalog names it.
_LENGTH = re.compile(r"x (\d+(?:\.\d+)?) m\b")
_METRES = frozenset({"metros", "metro", "m", "mts", "meters", "meter", "metres", "metre"})


def in_lengths(product: Product | dict[str, Any], quantity: int, said_unit: str | None) -> tuple[int, float | None]:
    """The count in lengths when metres of a product sold by the length were asked for ("20 metros de tuboplus"
    of 4 m lengths is 5), with the length; else the count as said."""
    p = product.model_dump(mode="json") if isinstance(product, Product) else product
    length = _LENGTH.search(fold(p.get("name") or "").lower())
    if p.get("unit") != "tramo" or length is None or fold(said_unit or "").lower() not in _METRES:
        return quantity, None
    size = float(length.group(1))
    return max(1, math.ceil(quantity / size - 1e-9)), size


_CONTAINER = re.compile(r"(?<![\d.])(\d{1,3}) l\b")
_LITRES = frozenset({"litros", "litro", "l", "lt", "lts", "liters", "liter", "litres", "litre"})


def in_containers(product: Product | dict[str, Any], quantity: int, said_unit: str | None) -> tuple[int, int | None]:
    """The count in containers when litres of a product sold by the piece in one were asked for ("57 litros de
    impermeabilizante" of 19 L buckets is 3), with the container's litres; else the count as said."""
    p = product.model_dump(mode="json") if isinstance(product, Product) else product
    held = _CONTAINER.search(fold(p.get("name") or "").lower())
    if p.get("unit") != "pieza" or held is None or fold(said_unit or "").lower() not in _LITRES:
        return quantity, None
    size = int(held.group(1))
    return max(1, math.ceil(quantity / size)), size


# The options a picked line remembers, for "mejor el otro".
MAX_OTHERS = 3
THE_OTHER = frozenset({"el otro", "la otra", "otro", "otra", "los otros", "las otras", "the other", "the other one",
                       "other one", "the other ones"})


def compares(hint: str | None) -> bool:
    """Whether a hint picks by price ("la más barata") rather than by a word of the product."""
    folded = fold(hint or "")
    return any(word in folded for word in (*_CHEAPEST, *_DEAREST, *_BIGGEST, *_SMALLEST))


def option_of(product: Product) -> dict[str, Any]:
    """A product as an option shown to the customer (what picking it needs)."""
    return {"sku": product.sku, "name": product.name, "list_price": str(product.list_price), "unit": product.unit,
            "stock": product.stock, "measure": product.measure, "brand": product.brand}


# Products quoted one by one that "2 del primero", "10 de cada uno" can still name.
MAX_QUOTED = 6


def remember(quoted: list[dict[str, Any]] | None, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The products quoted so far with `options` quoted last (each once, in the order first asked about)."""
    kept = list(quoted or [])
    for option in options:
        if all(o["sku"] != option["sku"] for o in kept):
            kept.append(option)
    return kept[-MAX_QUOTED:]


def add(cart: list[DraftLine], line: DraftLine) -> list[DraftLine]:
    """The cart with `line` added; a product already in it gets the units added to its line.

    A line whose count was never said ("¿cuánto cuestan la bomba y el tanque?" drafts one of each) takes
    the count said next instead ("mándeme dos bombas": two), and a product named again without a count
    leaves its line as it is.
    """
    for i, existing in enumerate(cart):
        if existing["sku"] == line["sku"]:
            if line.get("unsaid"):
                return cart
            said = existing["quantity"] + line["quantity"] if not existing.get("unsaid") else line["quantity"]
            merged = {k: v for k, v in existing.items() if k != "unsaid"} | {"quantity": said, "backorder": 0}
            return [*cart[:i], merged, *cart[i + 1:]]
    return [*cart, line]


def of_its_kind(line: DraftLine, target: str) -> bool:
    """Whether the line `target` was found by can be what it names: "sellador fester" names the Fester
    waterproofing by its brand alone, and a sealer is another product ("las llaves" of a valve is a synonym)."""
    noun = noun_of(target)
    if noun is None or noun in lx.COUNT_UNIT or holds(line["name"], noun):
        return True
    if _keys(noun) & _keys(f"{line['name']} {line.get('asked') or ''}"):
        return True
    brand = _keys(line.get("brand") or "")
    shared = _keys(target) & _keys(f"{line['name']} {line.get('brand') or ''}")
    return not brand or not shared or bool(shared - brand)


def _keys(words: str) -> set[str]:
    # "3m" and "3 m", "20mm" and "20 mm" are the same words
    text = re.sub(r"(?<=\d)(?=[a-z])", " ", fold(words).lower())
    return {phonetic_key(w) for w in re.findall(r"[a-z0-9/]+", text) if w not in _NOISE}


# a word that, said, rules out an option that lacks it (an angle or a material is never a near miss)
_TELLS_APART = frozenset(phonetic_key(w) for w in ("45", "90", "pvc", "cpvc", "cobre", "galvanizado", "tuboplus",
                                                   "bronce", "sanitario", "hidraulico"))


def _sizes(words: str) -> set[str]:
    out: set[str] = set()
    said = fold(words).replace('"', '" ').split()
    tokens = [t.rstrip('"') for t in said]
    for i, tok in enumerate(tokens):
        if "/" in tok:
            whole = tokens[i - 1] if i and tokens[i - 1].isdigit() else ""
            out.add(canonical_measure(f"{whole} {tok}".strip() + '"'))
        elif (tok.isdigit() and int(tok) <= 12 and not (i + 1 < len(tokens) and "/" in tokens[i + 1])
              and (said[i].endswith('"') or (i and tokens[i - 1] == "de" and (
                  i + 1 == len(tokens) or tokens[i + 1] not in _MEASURE_AFTER)))):
            out.add(canonical_measure(f'{tok}"'))  # whole inches: 'Tubo sanitario 6"', "los tubos de 6" (not "de 6 m")
    return out


_MEASURE_AFTER = frozenset({"m", "mts", "metros", "l", "lts", "litros", "kg", "hp", "mm", "cm", "w"})


_UNIT_WORDS = {"piezas": "pieza", "tramos": "tramo", "rollos": "rollo", "cajas": "caja", "juegos": "juego",
               "metros": "metro", "litros": "litro", "kilos": "kg", "kg": "kg"}


# A replace whose target is these words is about every line ("todo de 1 pulgada").
EVERY_LINE = frozenset({"todo", "todos", "todas", "all", "everything", "cada uno", "cada una", "each"})


def find(cart: list[DraftLine], target: str | None) -> int | None:
    """The index of the draft line `target` names ("las tees", "los de cobre"); None if none or several.

    With no target the line is the last one, when the draft has one line only or the words say nothing.
    """
    if not cart:
        return None
    if not target:
        return len(cart) - 1 if len(cart) == 1 else None
    if (position := _position(target, len(cart))) is not None:
        return position  # "quita el último", "el primero cámbialo", "quítale el de en medio"
    for i, line in enumerate(cart):
        if line["sku"] == target:
            return i
    if len(held := [i for i, line in enumerate(cart) if holds(line["name"], target)]) == 1:
        return held[0]  # "cambia las cubetas por…": the one line of 19 L
    if (unit := _UNIT_WORDS.get(target or "", (target or "").rstrip("s"))) and target and len(target.split()) == 1:
        by_unit = [i for i, line in enumerate(cart) if line.get("unit") == unit]
        if len(by_unit) == 1:
            return by_unit[0]  # "que sean 5 rollos": the one line sold by the roll
    keys, sizes = _keys(target), _sizes(target)
    scored = []
    for i, line in enumerate(cart):
        name_keys = _keys(f"{line['name']} {line.get('brand') or ''} {line['sku']}")
        hit = len(keys & name_keys) + (2 if sizes and sizes & _sizes(line["name"]) else 0)
        scored.append((hit, i))
    best = max(hit for hit, _ in scored)
    winners = [i for hit, i in scored if hit == best]
    if len(winners) > 1:  # "el impermeabilizante": the line that is one, not the sealer "para impermeabilizante"
        winners = [i for i in winners if phonetic_key(fold(cart[i]["name"]).split()[0]) in keys] or winners
    if best == 0:  # "los flex mejor 10": a word cut short names the one line whose name starts so
        heads = [i for i, line in enumerate(cart) for w in fold(target).lower().split()
                 if len(w) >= 4 and fold(line["name"]).lower().startswith(w[:4])]
        return heads[0] if len(set(heads)) == 1 else None
    return winners[0] if len(winners) == 1 else None


_A_UNIT_ALONE = re.compile(r"(?:(?:el|la|the) )?(?:de )?(?:litro|litros|liter|litre|galon|gallon|kilo)(?: one)?")
_A_COUNT_IN_A_UNIT = re.compile(r"(?:(?P<u>[a-z]+) \d{1,5}|\d{1,5} (?P<v>[a-z]+))")
_MIDDLE = frozenset({"medio", "en medio", "de en medio", "middle", "middle one"})


def position(target: str, cart: list[DraftLine]) -> int | None:
    """The draft line a position alone names ("primero", "el último"), or None."""
    return _position(target, len(cart)) if cart else None


def _position(target: str, lines: int) -> int | None:
    """The line a position names ("ultimo", "segundo", "de en medio"), when the draft has it."""
    words = re.sub(r"^(?:el|la|lo|the)\s+", "", target.strip())
    words = re.sub(r"\s+(?:one|renglon|linea|producto)$", "", words)
    if words in _MIDDLE:
        return lines // 2 if lines % 2 == 1 and lines >= 3 else None
    index = lx.ORDINALS.get(words)
    return index % lines if index is not None and -lines <= index < lines else None


def sold_in(options: list[dict[str, Any]], unit: str | None) -> dict[str, Any] | None:
    """The one option sold in the unit said ("dame 25 metros" between the cable by the metre and the roll)."""
    if not unit:
        return None
    said = selling_unit(unit)
    fits = [o for o in options if o.get("unit") == said]
    if not fits:  # "dame 2 galones": the one of 4 L
        fits = [o for o in options if holds(str(o.get("name") or ""), unit)]
    return fits[0] if len(fits) == 1 else None


def pick(options: list[dict[str, Any]], index: int | None, hint: str | None) -> dict[str, Any] | None:
    """The option named by position ("el primero", "el último") or by a detail ("el de cobre", "la más barata")."""
    if not options:
        return None
    if index is not None:
        return options[index] if -len(options) <= index < len(options) else None
    if not hint:
        return options[0] if len(options) == 1 else None
    folded = fold(hint)
    if folded.startswith("no ") and (unwanted := pick(options, None, folded[3:])) is not None:
        left = [o for o in options if o["sku"] != unwanted["sku"]]
        return left[0] if len(left) == 1 else None  # "la truper no, la otra": of two, the other one
    if any(word in folded for word in _CHEAPEST):
        return min(options, key=lambda o: Decimal(str(o["list_price"])))
    if any(word in folded for word in _DEAREST):
        return max(options, key=lambda o: Decimal(str(o["list_price"])))
    for words, choose in ((_BIGGEST, max), (_SMALLEST, min)):
        if any(word in folded for word in words):
            return _by_measure(options, choose)
    if _A_UNIT_ALONE.fullmatch(folded.strip()):
        hint = f"1 {hint}"  # "el de litro", "the liter one": the one of one litre
    if (unit := _A_COUNT_IN_A_UNIT.fullmatch(folded.strip())) is not None and (
            fit := sold_in(options, unit["u"] or unit["v"])) is not None:
        return fit  # "tramos 15" among a pipe and its fittings: the one sold by the length
    keys, sizes = _keys(hint), _sizes(hint)
    texts = [" ".join(str(option.get(k) or "") for k in ("name", "brand", "measure", "unit")) for option in options]
    said = [_keys(text) for text in texts]
    if any(all(key not in words for words in said) for key in keys & _TELLS_APART):
        return None  # "dame 20 de 90" among elbows of 45: none of those shown is what was asked for
    scored = []
    for option, text, words in zip(options, texts, said, strict=True):
        hit = len(keys & words) + (2 if sizes and sizes & _sizes(text) else 0)
        scored.append((hit, option))
    best = max(hit for hit, _ in scored)
    winners = [o for hit, o in scored if hit == best]
    if best > 0:
        return winners[0] if len(winners) == 1 else None
    said_words = set(re.findall(r"[a-z]+", folded)) - _NOISE
    for words, choose in ((_BIG_WORDS, max), (_SMALL_WORDS, min)):
        if said_words and said_words <= words:
            return _by_measure(options, choose)
    return None


def covers(option: dict[str, Any], words: str) -> bool:
    """Whether the option has every word and size of `words` ("coples" and "Cople PVC hidráulico 3/4\"")."""
    text = " ".join(str(option.get(k) or "") for k in ("name", "brand", "measure"))
    keys, sizes = _keys(words), _sizes(words)
    return bool(keys) and keys <= _keys(text) and sizes <= _sizes(text)


def quoted_with(quoted: list[dict[str, Any]] | None, words: str) -> dict[str, Any] | None:
    """The one product quoted before that has every word and size of `words` ("del de 62": the 62 L heater)."""
    fits = [option for option in quoted or [] if covers(option, words)]
    return fits[0] if len(fits) == 1 else None


def _numbers(name: str) -> list[float]:
    values = []
    for m in _NUMBER.finditer(name):
        if m[1]:
            values.append(int(m[1]) + int(m[2]) / int(m[3]))
        elif m[4]:
            values.append(int(m[4]) / int(m[5]))
        else:
            values.append(float(m[6]))
    return values


def _by_measure(options: list[dict[str, Any]], choose: Any) -> dict[str, Any] | None:
    """The option whose first measure that differs among the options is the largest (`max`) or smallest (`min`);
    options with no measure (a kit among tinacos) are not in the running."""
    options = [o for o in options if _numbers(str(o["name"]))]
    if len(options) < 2:
        return None
    numbers = [_numbers(str(o["name"])) for o in options]
    width = min(len(n) for n in numbers)
    for i in range(width):
        column = [n[i] for n in numbers]
        if len(set(column)) > 1:
            best = choose(column)
            return options[column.index(best)] if column.count(best) == 1 else None
    return None


def most_like(products: list[Product], name: str) -> Product | None:
    """The one product sharing the most words with `name` ("Tee PVC hidráulica 2" for the 1 1/2" one); None on a tie."""
    keys = _keys(name)
    scored = sorted(((len(keys & _keys(p.name)), p) for p in products), key=lambda sp: -sp[0])
    if len(scored) == 1 or (scored and scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


# Materials and kinds a whole list is often written in once: "12 tramos pvc …, 20 tees de 3/4".
_MATERIAL_KEYS = frozenset(phonetic_key(w) for w in (
    "pvc", "cpvc", "cobre", "galvanizado", "tuboplus", "sanitario", "hidraulico", "bronce", "copper"))


def in_context(products: list[Product], others: list[str]) -> Product | None:
    """The one product in the material at least two of the order's other lines are written in, or else, when
    all are of one material, in the one kind of it that tells them apart and another line names.

    "20 tees de 3/4" after two PVC lines (or a PVC pipe) is the PVC tee; None when no material is that common
    or it leaves several products.
    """
    # a pipe drafted counts twice: the fittings asked for beside it join it ("tuboplus 3/4 tramos x8", "codo 90 3/4")
    counts = Counter(key for words in others for key in _keys(words) & _MATERIAL_KEYS
                     for _ in range(2 if fold(words).lower().startswith("tubo") else 1))
    materials = {key for key, n in counts.items() if n >= 2}
    fitting = [p for p in products if _keys(p.name) & materials]
    if len(fitting) == 1:
        return fitting[0]
    # "10 codos pvc de 2 … y 3 tramos pvc hidráulico de 2": all are PVC, and one line names the kind of PVC
    # that tells them apart (a material itself is asked unless two lines say it: one line is no pattern)
    shared = set.intersection(*(_keys(p.name) for p in products)) if products else set()
    telling = {key for p in products for key in _keys(p.name) & _MATERIAL_KEYS} - shared
    named = telling & set(counts) if shared & _MATERIAL_KEYS else set()
    fitting = [p for p in products if _keys(p.name) & named]
    return fitting[0] if len(named) == 1 and len(fitting) == 1 else None


_MADE_FOR = re.compile(r"\bpara (?:el |la |los |las )?([a-z]+)")


def made_for(products: list[Product], cart: list[DraftLine]) -> Product | None:
    """The one product made for something drafted ("y sellador x2" beside an impermeabilizante: the sealer
    "para impermeabilizante", not the polyurethane one)."""
    drafted = {fold(line["name"]).lower().split()[0][:6] for line in cart if line.get("name")}
    fitting = [p for p in products if (m := _MADE_FOR.search(fold(p.name).lower())) and m[1][:6] in drafted]
    return fitting[0] if len(fitting) == 1 else None


def has_variant(cart: list[DraftLine], detail: str) -> bool:
    """Whether some draft line already is of that detail ("pvc" with a PVC tee drafted)."""
    keys = _keys(detail)
    return bool(keys) and any(keys <= _keys(line["name"]) for line in cart)


def short(cart: list[DraftLine]) -> list[int]:
    """The lines asking for more than is in stock, in order."""
    return [i for i, line in enumerate(cart) if line["quantity"] > max(line["stock"], 0)]


def take_available(line: DraftLine, *, backorder: bool) -> DraftLine:
    """The line cut to what is in stock, the rest on backorder when the customer wants it."""
    available = max(line["stock"], 0)
    rest = line["quantity"] - available
    return line | {"quantity": available, "backorder": rest if backorder else 0}
