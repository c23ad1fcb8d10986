"""Counts of products said before, named by how they were said rather than by their words.

"de esos mándame 10 de cada uno", "2 del primero que te pregunté y 1 del último", "50, 20 y 5, en ese
orden", "send 2 of the liter and 12 of the 125 ml", "2 del más grande y 1 del otro": the buyer asked
about several products (one by one, or shown together) and now orders them. Each reference is a
`choose` act (a position or a detail, with its count) or, for "de cada uno", an `order` act whose
target is every product; the order subgraph picks them among the products quoted before, or among
the options shown.
"""

from __future__ import annotations

import re

from graph.understanding import lexicon as lx
from graph.understanding.details import _count_at, _quantity
from graph.understanding.english import is_noun
from graph.understanding.lines import attributes_of, noun_of, size_of, to_catalog_words
from graph.understanding.reading import Act, Line

_EACH = re.compile(rf"(?:^|(?<=\s))(?P<q>{lx._COUNT}) (?:de cada (?:uno|una)|de c/u|c/u|of each(?: one)?|each)\b")
# "ok de todas 10 porfa", "de todos 25": that many of every product said before
_OF_ALL = re.compile(rf"(?:^|(?<=\s))(?:de todos|de todas|of all(?: of them)?|all of them)(?: ,)?"
                     rf"(?: (?:ponme|dame|mandame|send me|give me))? (?P<q>{lx._COUNT})\b")
_ONE_EACH = re.compile(r"(?:^|(?<=\s))(?:uno|una|one) (?:de cada (?:uno|una)|of each(?: one)?)\b")
_ORDINAL = "|".join(lx.ORDINALS)
_AT = re.compile(rf"(?:^|(?<=\s))(?P<q>{lx._COUNT}) (?:del|de la|de los|de las|of the|of) (?P<o>{_ORDINAL})\b")
# "y del primero que te pregunté ponme 30": the count said after the reference
_AT_THEN_COUNT = re.compile(rf"(?:^|(?<=\s))(?:del|de la|de los|de las|of the) (?P<o>{_ORDINAL})(?: one)?"
                            r"(?: que (?:te|les?) (?:pregunte|cotice|dije|pedi))?"
                            rf"(?: ,)?(?: (?:ponme|dame|mandame|apartame|quiero|ocupo|son|serian|send me|give me))? "
                            rf"(?P<q>{lx._COUNT})\b")
# A message that points back at the products asked about, even with a draft open
ASKED_BEFORE = re.compile(r"\bque (?:te|les?) (?:pregunte|cotice)\b|\bque (?:me )?cotizaste\b"
                          r"|\bi asked (?:about )?first\b")
_INSTEAD = re.compile(rf"\s*,?\s*no\s*,?\s*(?:{lx.INSTEAD}\s+)*(?P<q>{lx._COUNT})\b")
_ONE_AT = re.compile(rf"(?:del|de la|de los|de las|de|of the) (?:de )?(?P<d>\d[\d/\"]*|[a-z]+) "
                     rf"(?:nomas |solo |just |only )?(?P<q>{lx._COUNT})\b")
_IN_THAT_ORDER = re.compile(r"(?:,? )?(?:en ese orden|en el orden que (?:te )?(?:los )?(?:pregunte|dije)|"
                            r"respectivamente|in that order|respectively)\b")
_OF = r"(?:del|de la|de los|de las|de el|of the)"
_DETAIL = re.compile(rf"(?:^|(?<=\s))(?P<q>{lx._COUNT}) {_OF} "
                     r"(?P<d>(?:(?!\by\b|\band\b)[a-z0-9/\" ]){1,24}?)(?: one| ones)?(?=\s(?:y|and|,)\s|\s?,|$)")
# with options shown, "10 de 1/2 y 10 de 3/4" picks two of them
_SHOWN_DETAIL = re.compile(_DETAIL.pattern.replace(_OF, r"(?:de|del|de la|de los|de las|de el|of the|in)"))


def said_before(norm: str, *, options_shown: bool = False) -> list[Act] | None:
    """The acts of a message that counts products said before (or shown), or None when it names its products."""
    if _names_products(norm):
        return None
    if re.search(r"\bprimer[oa]?\b", norm):  # "del primero 3 y del otro 2": the other is the second
        norm = re.sub(r"\b(del|de la) otr([oa])\b", r"\1 segund\2", norm)
    each = _EACH.search(norm) or _ONE_EACH.search(norm) or _OF_ALL.search(norm)
    if each is not None:
        count = _count(each["q"]) if "q" in each.groupdict() else 1
        rest = norm[each.end():]
        if instead := _INSTEAD.match(rest):  # "6 de cada una no mejor 8": eight
            count, rest = _count(instead["q"]), rest[instead.end():]
        acts = [Act(kind="order", target="cada uno", lines=[Line(quantity=count, product="")])]
        # "…, y de la de 1/2 nomás 2": that one at its own count
        acts += [Act(kind="choose", option_hint=m["d"], quantity=_count(m["q"])) for m in _ONE_AT.finditer(rest)
                 if m["d"] not in lx.ORDINALS]
        # "20 de cada uno pero del último nomás 5": that one at its own count
        acts += [Act(kind="choose", option_index=lx.ORDINALS[m["o"]], quantity=_count(m["q"])) for m in
                 re.finditer(rf"(?:del|de la|of the) (?P<o>{_ORDINAL})(?: one)? (?:nomas |solo |just |only )?"
                             rf"(?P<q>{lx._COUNT})\b", rest)]
        return acts
    if (at := counted_positions(norm)) is not None:
        return at
    if (order := _IN_THAT_ORDER.search(norm)) is not None:
        counts = [c for c in (_count_of(tok) for tok in norm[:order.start()].replace(",", " ").split()) if c]
        if len(counts) >= 2:
            return [Act(kind="choose", option_index=i, quantity=c) for i, c in enumerate(counts)]
    details = [m for m in (_SHOWN_DETAIL if options_shown else _DETAIL).finditer(norm)
               if size_of(m["d"]) or attributes_of(m["d"]) or _a_measure(m["d"])]
    if len(details) >= 2:  # one alone ("20 de la de 3/4") is the product just talked about, in that detail
        return [Act(kind="choose", option_hint=m["d"].strip(), quantity=_count(m["q"])) for m in details]
    return several_picks(norm)


_VERB = (r"(?:ponme|pon|ponle|mandame|manda|mandenme|dame|deme|me das|me mandas|quiero|ocupo|necesito|apartame|"
         r"send me|send|give me|get me|put|i will take|i ll take|ill take|take|me llevo|llevo|i need|"
         r"need)")
_PICK_COUNT = (rf"(?:(?:las|los|the)\s+)?(?P<n>{lx._COUNT}(?: (?:docenas?|pares|par|dozen))?|media docena|un par|"
               r"a couple|a dozen)")
_UNIT = (r"(?:\s+(?P<u>" + "|".join(sorted(lx.COUNT_UNIT, key=len, reverse=True)) + r"))?"
         r"(?:\s+(?:que (?:tengas|tienes|tengan|haya|hay|quedan?)|you have|you got))?")  # "las 3 que tengas"
_THE = r"(?:(?:la|el|los|las|the)\s+)?"
_HINT = r"(?P<hint>[a-z0-9/\". ]{1,30}?)"
_LEAD = rf"^(?:(?:y|e|and|pero|tambien|ok|okay|va|sale|bueno|entonces|pues|si|yes|plus)\s+)*(?:{_VERB}\s+)?"
_HINT_FIRST = re.compile(rf"{_LEAD}(?:de|del|of)\s+{_THE}{_HINT}\s+(?:{_VERB}\s+)?(?:(?:otros|otras|other)\s+)?"
                         rf"{_PICK_COUNT}{_UNIT}$")
_COUNT_FIRST = re.compile(rf"{_LEAD}{_PICK_COUNT}{_UNIT}\s+(?:de|del|of)\s+{_THE}{_HINT}$")
_PARTS = re.compile(r"\s*(?:,|;|\.(?!\d)|\s(?:y|e|and)\s)\s*")
_TALK = re.compile(r"\s+(?:xfa|porfa|porfavor|por favor|please|pls|plis|gracias|thanks|tambien|tmb|too|also)$")
_ONE_OF_THEM = re.compile(r"(?:one|ones|uno|una)$")  # "the cheaper one"
_NOT_THIS = re.compile(r"^(?:(?:y|pero)\s+)?(?:(?:el|la|los|las|the)\s+)?(?:de|del|of)\s+[a-z0-9/\". ]{1,20}\s+no$")


def all_counted(norm: str) -> list[Act] | None:
    """ "de todos 25" with a draft open: that many of every line (or of every product quoted)."""
    m = _OF_ALL.search(norm)
    return [Act(kind="order", target="cada uno", lines=[Line(quantity=_count(m["q"]), product="")])] if m else None


def counted_positions(norm: str) -> list[Act] | None:
    """ "del último mándame 3", "2 del primero": counts of the products quoted or drafted, by position."""
    at = list(_AT.finditer(norm)) or list(_AT_THEN_COUNT.finditer(norm))
    return [Act(kind="choose", option_index=lx.ORDINALS[m["o"]], quantity=_count(m["q"])) for m in at] or None


def several_picks(norm: str, *, fewest: int = 2) -> list[Act] | None:
    """Counted picks (at least `fewest`), one per part of the message, or None when any part is something else."""
    parts = [_TALK.sub("", p.strip()) for p in _PARTS.split(norm) if p.strip()]
    if len(parts) < fewest:
        return None
    acts, named = [], 0
    for part in parts:
        if _NOT_THIS.match(part):
            continue  # "…, el del 10 no": the one not taken is simply not picked
        m = _HINT_FIRST.match(part) or _COUNT_FIRST.match(part)
        if m is None:
            return None
        hint = _ONE_OF_THEM.sub("", m["hint"].strip()).strip()
        count = 1 if m["n"] in ("un", "una", "uno", "one", "a") else _quantity(m["n"])
        if count is not None and hint in lx.ORDINALS:  # "del primero 40, del segundo 20 y de la tuerca 10"
            acts.append(Act(kind="choose", option_index=lx.ORDINALS[hint], quantity=count))
            continue
        if not hint or count is None or hint in ("cada", "each", "todos", "todas", "all") \
                or set(hint.split()) & lx.DEMONSTRATIVES:
            return None  # "20 de esa y 20 de la de 3/4": the product just talked about, read as lines
        named += noun_of(hint) is not None
        acts.append(Act(kind="choose", option_hint=_the_other(hint) or to_catalog_words(hint) or hint,
                        quantity=count))
    # "2 de los coples y 3 de las tees" names its lines (the edits read it); "2 dozen of the bulbs and a dozen of
    # the other" picks one of them by its words, the other by what is left
    return acts if len(acts) >= fewest and named < len(acts) else None


def _the_other(hint: str) -> str | None:
    return "otro" if hint in ("otro", "otra", "otros", "otras", "other") else None


def _names_products(norm: str) -> bool:
    """ "10 coples y 10 tees, 10 de cada uno" counts the products it names; "de esos, 10 de cada uno" none."""
    return any(is_noun(tok) for tok in norm.split())


def _a_measure(words: str) -> bool:
    """ "liter", "125 ml", "10": a capacity, a length or a gauge tells one product said before from another."""
    return bool(re.fullmatch(r"(?:\d+ ?(?:ml|l|lts?|litros?|m|mts|metros|kg|w|hp)|litros?|liter|litre|\d{1,3})", words))


def _count(word: str) -> int:
    return _count_of(word) or 1


def _count_of(word: str) -> int | None:
    read = _count_at([word], 0)
    return read[0] if read is not None else None
