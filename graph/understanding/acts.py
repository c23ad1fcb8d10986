"""Every act of a message, read by the rules: the one the intent rules found first, then the rest.

`rules._classify` decides what the message is mainly about (its rule intent); `acts_of` turns
that into acts with their details and adds what else the message carries: edits of the open
draft, more order lines, questions on other topics, a complaint or a request for a person.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from graph.understanding import lexicon as lx
from graph.understanding.dates import find_amount, find_promised_date
from graph.understanding.details import _count_at, _product_query, _quantity, _selection
from graph.understanding.lines import (
    ENGLISH_PRODUCT_WORDS,
    attributes_of,
    detail_only,
    extract_lines,
    noun_of,
    size_of,
    to_catalog_words,
    variants_asked,
    without_tail,
)
from graph.understanding.reading import Act, FlowContext, Language, Line
from graph.understanding.references import counted_positions

# what is taken off a line, not the line: "quítale 5 a las tees", "bájale 10 de los codos"
_SOME_OF_IT = re.compile(r"^(?P<n>\d{1,5}) (?:piezas |pzas )?(?:a|de) (?P<t>(?:los|las|el|la) .+)$")
_ORDERISH = ("order", "add", "search", "remove", "change_quantity", "replace", "restore", "choose", "stock_answer")
_TARGET_EDGE = lx.EDGE_STOPWORDS | {"porfavor", "mejor", "tambien", "ya", "no", "pero", "de", "then", "entonces",
                                    "pues", "please",
                                    # "agrégame 3", "apártame 20": the verb of an order, no line called so
                                    "agregame", "agregale", "apartame", "apartamelos", "ponme", "mandame", "dame"}


def _count(text: str) -> int | None:
    tokens = text.split()
    read = _count_at(tokens, 0) if tokens else None
    if read is not None and tokens[read[1]:read[1] + 1] and tokens[read[1]] in lx.MEASURE_UNIT:
        return None  # "y 1 hp?": a measure of the product, not a count
    return read[0] if read is not None and 0 < read[0] <= 100_000 else None


def _clean_target(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw.strip() in ("cada uno", "cada una"):
        return "cada uno"  # every line, not a line called "cada"
    # "los codos que te pedí al principio": the line, not how it was asked for
    tokens = re.sub(r"\s(?:que|q) (?:te|les?) (?:pedi|pedimos|dije|encargue)\b.*$", "", f" {raw}")
    tokens = re.sub(r"\sno \d{1,5}$", "", tokens).split()  # "eran 15 tramos no 12": the tramos
    while tokens and tokens[0] in _TARGET_EDGE:
        tokens.pop(0)
    while tokens and tokens[-1] in _TARGET_EDGE:
        tokens.pop()
    if tokens and set(tokens) <= lx.DEMONSTRATIVES:
        return None  # "4 de esos": the product just talked about, not a line called "esos"
    return to_catalog_words(" ".join(tokens)) or None  # "the gate valves": the line the catalog calls so


def _blank(norm: str, spans: list[tuple[int, int]]) -> str:
    """`norm` with the spans replaced by clause marks, so what an edit said is not read again as lines."""
    out = norm
    for start, end in sorted(spans, reverse=True):
        out = f"{out[:start]} , {out[end:]}"
    return out


_SAME_COUNT_AFTER = re.compile(r"\s*,?\s*(?:los|las|lo) mism[oa]s?(?: (?P<q>\d{1,5}))?(?: [a-z]+)?\s*$")
_BY_THE_INCH = re.compile(r"(?:tub|cod|tee|cop|cpl|tap|nip|red|val|llav|yee|adap|cone|tuer)[a-z]*$")
_SAID_INSTEAD = re.compile(r"\b(?:bueno no|no mejor|no perdon|perdon|digo|no no|corrijo)\b")
_EACH_QUANTITY = re.compile(r"^(?:(?:mejor|que sean|ahora|entonces|no|sean|ok|va|apartame|mandame|ponme|dame|pon|"
                            r"ponle)\s+,?\s*)*\d{1,5}(?:\s+(?:y|,)\s+\d{1,5})+$")


_MORE_OF = re.compile(rf"(?:^|(?<=\s))(?:ponle|ponles|agregale|agregales|sumale|sumales|pon|mandame|add) "
                      rf"(?P<q>{lx._COUNT}) (?:mas|more|extra) (?:a|de|to|of) (?:los|las|el|la|the) "
                      r"(?P<target>[a-z][a-z0-9/\" ]{1,30}?)(?=\s*(?:,|$| y ))")


def _edits(norm: str) -> tuple[list[tuple[int, Act]], list[tuple[int, int]]]:
    """Edits of the open draft: remove, replace, change a quantity; with the spans they used."""
    found: list[tuple[int, Act]] = []
    spans: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in spans)

    if m := _EACH_QUANTITY.match(norm):  # "mejor 40 y 40": one quantity per line
        for q in re.findall(r"\d+", m.group()):
            found.append((m.start(), Act(kind="change_quantity", quantity=int(q))))
        spans.append(m.span())
    for m in lx.RESTORE.finditer(norm):  # "no, siempre sí ponlos": the line taken out, back in
        said = m["target"] or m["named"] or m["back"] or m["again"] or m["put"]
        found.append((m.start(), Act(kind="restore", target=_clean_target(said))))
        spans.append(m.span())
    for m in lx.SPLIT.finditer(norm):
        target = _clean_target(m["target"])
        if not target and any(noun_of(w) for w in norm[:m.start()].rstrip(" ,").split(",")[-1].split()[-6:]):
            continue  # "y codos pvc de 90, 50 de 1/2 y 40 de 3/4": the sizes of the product just named, not a split
        first, second = (Line(product=f"de {m[s]}", size=size_of(f"de {m[s]}"), quantity=int(m[q]))
                         for s, q in (("s1", "q1"), ("s2", "q2")))
        found += [(m.start(), Act(kind="replace", target=target, lines=[first])),
                  (m.start() + 1, Act(kind="add", lines=[second]))]
        spans.append(m.span())
    for pattern in lx.REPLACE:
        for m in pattern.finditer(norm):
            if free(*m.span()):
                raw = without_tail(m["new"].strip()) or m["new"].strip()
                raw = re.sub(r"^(?:los|las|el|la|unos|unas) (?=de )", "", raw)  # "x los de diamante"
                raw = re.sub(r"^del (?=\d)", "de ", raw)  # "mejor el cable del 14": in gauge 14
                if raw.startswith(("de ", "en ", "in ")):  # "las mangueras de 30 metros": a detail of the line
                    detail = raw[3:]
                    if not m["target"] and any(noun_of(word) for word in m["new"].split()):
                        continue  # "mejor de cobre los codos" names its line; "mejor de 3/4" the one last talked about
                    new = [Line(product=detail, size=size_of(detail), attributes=attributes_of(detail))]
                elif set(raw.split()) & lx.DEMONSTRATIVES:  # "por esas helvex": the product just quoted, as said
                    new = [Line(product=raw)]
                else:
                    new = extract_lines(raw) or [Line(product=raw)]
                target = "todo" if m.groupdict().get("every") is not None else _clean_target(m["target"])
                if (count := re.search(r"\b(?:que|q) sean? (\d{1,5})\b", m["new"])) and new[0].quantity is None:
                    new = [new[0].model_copy(update={"quantity": int(count[1])})]  # "mejor de 3/4 y que sean 20"
                end = m.end()
                if same := _SAME_COUNT_AFTER.match(norm, end):  # "…el cable de 14, los mismos 2 rollos": as many
                    if same["q"] and new[0].quantity is None:
                        new = [new[0].model_copy(update={"quantity": int(same["q"])})]
                    end = same.end()
                found.append((m.start(), Act(kind="replace", target=target, lines=new[:1])))
                spans.append((m.start(), end))
    for m in _MORE_OF.finditer(norm):  # "ponle 10 más a los codos": ten more of that line
        if free(*m.span()) and (target := _clean_target(m["target"])):
            found.append((m.start(), Act(kind="add", lines=[Line(quantity=_count(m["q"]), product=target)])))
            spans.append(m.span())
    for pattern in lx.CHANGE_QUANTITY:
        for m in pattern.finditer(norm):
            quantity = _count(m["q"])
            after = norm[m.end():].split()[:2]
            if after and (lx.PRODUCT.fullmatch(after[0]) or (after[0] in lx.COUNT_UNIT and after[1:] != []
                                                              and after[1] != ",")):
                continue  # "ponle 5 rollos de manguera": a new line, not a new quantity ("eran 6 cajas" is one)
            if " y " in f" {m.groupdict().get('target') or ''} ":
                continue  # "las llaves y ponle 5": two clauses, not one line's quantity
            said = m.groupdict().get("target") or ""
            if pattern is lx.CHANGE_QUANTITY[-1] and quantity is not None and (
                    (quantity <= 12 and _BY_THE_INCH.match(said)) or said in lx.NUMBER_LABEL):
                continue  # a word and a number alone: "tees 4" is a size of them, "calibre 12" a label
            if quantity is not None and free(*m.span()):
                target = _clean_target(m.groupdict().get("target"))
                if after[:1] and after[0] in lx.GROUP_WORDS:  # "de los coples mejor 4 docenas": forty-eight
                    quantity *= lx.GROUP_WORDS[after[0]]
                if target in lx.GROUP_WORDS:  # "mejor que sean 3 docenas": thirty-six
                    quantity, target = quantity * lx.GROUP_WORDS[target], None
                if target in lx.COUNT_UNIT and target not in ("rollo", "rollos", "tubos", "tramo", "tramos"):
                    target = None  # "que sean 10 piezas", "3 cubetas": the unit, not a line; "5 rollos" names the rolls
                if target and (more := re.match(r"\s+(?:mas|more|extra)\b", norm[m.end():])):
                    # "de los codos ponle 10 más": ten more of that line
                    found.append((m.start(), Act(kind="add", lines=[Line(quantity=quantity, product=target)])))
                    spans.append((m.start(), m.end() + more.end()))
                    continue
                found.append((m.start(), Act(kind="change_quantity", target=target, quantity=quantity)))
                spans.append(m.span())
    for start, act in list(found):
        if act.kind != "change_quantity" or not act.target:
            continue
        end = next(e for s, e in spans if s == start)
        while act.kind == "change_quantity" and act.target and (
                more := _MORE_COUNTS.match(norm, end) or _MORE_NAMED_COUNTS.match(norm, end)):
            # "mejor que sean 30 codos y 15 niples": the same change for the next line named
            act = Act(kind="change_quantity", target=more["target"], quantity=int(more["q"]))
            found.append((more.start(), act))
            spans.append(more.span())
            end = more.end()
    changes = sorted(((p, a) for p, a in found if a.kind == "change_quantity"), key=lambda pa: pa[0])
    for (start, first), (later, second) in itertools.pairwise(changes):
        if first.target and second.target is None and _SAID_INSTEAD.search(norm[start:later]):
            # "de los hembra que sean 30 bueno no mejor 40": the same line, the count said instead
            found = [(p, a) for p, a in found if a is not first and a is not second]
            found.append((start, first.model_copy(update={"quantity": second.quantity})))
    for m in (*lx.REMOVE.finditer(norm), *lx.REMOVE_NAMED_FIRST.finditer(norm)):
        groups = m.groupdict()
        raw = groups.get("named") or groups.get("taken") or m["target"]
        fewer = int(groups["fewer"]) if groups.get("fewer") else None
        raw = raw or groups.get("less_of")
        if raw and (some := _SOME_OF_IT.match(raw.strip())) is not None:
            fewer, raw = int(some["n"]), some["t"]  # "quítale 5 a las tees": five fewer
        target = _clean_target(raw)
        if target and free(*m.span()):
            found.append((m.start(), Act(kind="remove", target=target, quantity=fewer)))
            spans.append(m.span())
    replaced = [(p, a) for p, a in found if a.kind == "replace" and not a.target and a.lines]
    counted = [(p, a) for p, a in found if a.kind == "change_quantity" and not a.target]
    if len(replaced) == 1 and len(counted) == 1 and replaced[0][0] < counted[0][0]:
        # "de 15 mejor y q sean 8": the line in the other detail, that many of it
        (at, swap), (_, count) = replaced[0], counted[0]
        new = swap.lines[0].model_copy(update={"quantity": count.quantity})
        found = [(p, a) for p, a in found if a is not swap and a is not count]
        found.append((at, swap.model_copy(update={"lines": [new]})))
    return found, spans


# Talk around the words that name an option: "y 1100 cuánto?", "pues el tipo m porfa".
_HINT_EDGES = re.compile(r"^(?:(?:y|e|and|pues|ok|entonces|ah|bueno)\s+)+"
                         r"|(?:\s+(?:cuanto|cuesta|precio|porfavor|please))+$")
_MORE_COUNTS = re.compile(r"\s+(?:,\s+|y\s+)(?P<q>\d{1,5}) (?P<target>" + lx.PRODUCT.pattern + r")(?=\s|$)")
# "los codos que sean 80, las tees 40 y…": the next line named, then its count
_MORE_NAMED_COUNTS = re.compile(r"\s+(?:,\s+|y\s+)(?:(?:los|las|el|la) )?(?P<target>" + lx.PRODUCT.pattern
                                + r")(?: (?:que|q) sean?| a)? (?P<q>\d{1,5})(?=\s*(?:,|$)|\sy\s)")
_IF_I_TAKE = re.compile(r"\bsi (?:me )?(?:llevo|compro|pido) (?P<q>\d{1,5})")
_KEPT = re.compile(r"(?:^|\s,\s|\s)(?:los|las|el|la) (?:\d{1,5} )?[a-z][a-z ]{1,40}? "
                   r"(?:si|igual|quedan igual|se quedan)$")
_HYPOTHETICAL = re.compile(r"\bsi (?:les |te |le )?(?:pido|hago (?:el |un )?pedido|compro|ordeno)\b|\bif i order\b")
_STOCK_VERB = re.compile(r"\b(?:hay|tienen|tienes|tiene|quedan|manejan|tendran"
                         r"|cuant[oa]s(?= (?:rollos|piezas|tramos|cajas|metros|juegos|kilos|litros) "
                         r"(?:hay|tienen|tienes))"
                         r"|(?<=cuant[oa]s )(?:rollos|piezas|tramos|cajas|metros|juegos|kilos|litros))\b")


def _stock_answer(norm: str, rule: str) -> Act | None:
    """An answer to "¿te mando los 24 que hay y el resto cuando llegue?"."""
    if lx.STOCK_BACKORDER_REFUSED.search(norm):  # "nel, sin pendientes, nomás los 6 q tengas"
        return Act(kind="stock_answer", backorder=False)
    if lx.STOCK_BACKORDER.search(norm):
        return Act(kind="stock_answer", backorder=True)
    if lx.STOCK_ONLY.search(norm):
        return Act(kind="stock_answer", backorder=False)
    if rule == "confirm":
        return Act(kind="stock_answer", backorder=True)
    return None


_OF_A_LINE = re.compile(r"(?:^|(?<=\s))(?:de|del|en|con|para) (?:los |las |el |la )?(?:de )?"
                        r"(?P<noun>[a-z]{3,}|(?:\d{1,2} )?\d{1,2}/\d{1,2}|\d{1,2}(?=\s))")


_TAKE_THE_ONES = re.compile(r"^(?:(?:ok|va|entonces|pues|bueno|si)\s+,?\s*)*(?:dame|damelas|damelos|mandame|mandeme|"
                            r"deme|enviame|send me|send|give me) (?:los|las|the) (?P<n>\d{1,5})\b"
                            r"(?: de [a-z0-9/\"]+)?"
                            r"\s*,?\s*(?:y|and)\s+(?P<rest>.+)$")
_FILL_UP = re.compile(r"^(?:(?:completame|completa|rellename|rellena|fill (?:it|the rest) (?:up )?)\s+)?"
                      r"(?:con|with)\s+|"
                      r"^(?:(?:las|los|the) (?:otras|otros|other|rest)|lo demas|el resto)\s+(?:\d{1,5}\s+)?"
                      r"(?:hazlas|hazlos|hazmelas|hazmelos|make them|en|de|of|in)?\s*")


def _the_rest_in_another(norm: str) -> list[tuple[int, Act]] | None:
    """ "dame los 6 y complétame con 6 dúplex normales": what is in stock, and another product for the rest."""
    if (m := _TAKE_THE_ONES.match(norm)) is None:
        return None
    rest = m["rest"]
    count = re.match(r"(?:las|los|the) (?:otras|otros|other) (\d{1,5})\b", rest)
    lines = extract_lines(_FILL_UP.sub("", rest))
    if count is not None and len(lines) == 1 and lines[0].quantity is None:
        lines = [lines[0].model_copy(update={"quantity": int(count[1])})]
    if len(lines) != 1 or not lines[0].quantity or not lines[0].product:
        return None
    return [(0, Act(kind="stock_answer", backorder=False)), (1, Act(kind="add", lines=lines))]


def _stock_answers_apart(norm: str) -> list[tuple[int, Act]]:
    """Answers to an offer of several short lines, one line each ("de las tees nomás las 20, y del tubo …")."""
    clauses = [c.strip() for c in re.split(r"\s*,\s*(?:y\s+)?|\s+y\s+(?=(?:de|del|en|con|para)\s)", norm) if c.strip()]
    found = []
    for clause in clauses:
        named = _OF_A_LINE.match(clause)
        answer = _stock_answer(clause, "")
        if named is None or answer is None or not (noun_of(named["noun"]) or named["noun"][0].isdigit()):
            continue
        found.append((norm.find(clause), answer.model_copy(update={"target": named["noun"]})))
    return found if len(found) >= 2 else []


def _topics(norm: str) -> list[tuple[int, Act]]:
    found: list[tuple[int, Act]] = []
    for topic, pattern in lx.TOPICS.items():
        if m := pattern.search(norm):
            found.append((m.start(), Act(kind="question", topic=topic)))  # type: ignore[arg-type]
    if m := lx.STOCK_QUESTION.search(norm):
        found.append((m.start(), Act(kind="question", topic="stock", lines=extract_lines(norm[m.end():]))))
    # "¿cuándo llega mi pedido?" is its status, not a delivery policy question; "si pido hoy, ¿cuándo llega?"
    # asks how delivery works.
    if _HYPOTHETICAL.search(norm) and any(a.topic == "delivery" for _, a in found):
        found = [(p, a) for p, a in found if a.topic != "order_status"]
    if any(a.topic == "order_status" for _, a in found):
        found = [(p, a) for p, a in found if a.topic != "delivery"]
    if any(a.topic == "payment_link" for _, a in found):  # "la liga para pagar" is no bank-details question
        found = [(p, a) for p, a in found if a.topic != "payment_methods"]
    return found


def _handoff(norm: str) -> list[tuple[int, Act]]:
    found: list[tuple[int, Act]] = []
    if m := lx.HUMAN.search(norm):
        found.append((m.start(), Act(kind="human")))
    if m := lx.COMPLAINT.search(norm):
        found.append((m.start(), Act(kind="complaint")))
    return found


def _small_talk(norm: str) -> Act | None:
    if lx.ACK.fullmatch(norm) or lx.KEEP.search(norm) or lx.LATER.search(norm) or lx.APOLOGY.search(norm):
        return Act(kind="thanks" if lx.THANKS.search(norm) else "ack")
    if lx.THANKS.search(norm):
        return Act(kind="thanks")
    if lx.GOODBYE.search(norm):
        return Act(kind="goodbye")
    if lx.GREETING.search(norm):
        return Act(kind="greeting")
    if lx.CONFIRM.fullmatch(norm):
        return Act(kind="ack")
    return None


_DETAIL_ASKED = re.compile(r"(?:^|\s)(?:(?:del|de la|de los|de las|el|la|los|las) )?(?P<hint>(?:de|del|tipo) "
                           r"[a-z0-9/\" ]{1,30}?)$")
_FOLLOW_UP = re.compile(r"^(?:y|and|ok y|va y|entonces|what about)\s+(?P<lead>(?:(?:el|la|los|las|en|the|"
                        r"of|de|in|del|para|a como|cuanto)\s+)*)(?P<rest>[a-z0-9/\" ]{1,40}?)\s*(?:,|$)")
# Rule intents a follow-up can be mistaken for; a follow-up never carries a topic of its own.
_FOLLOW_UP_RULES = frozenset({"general_question", "search_product", "check_price", "select_option"})


def _follow_up(norm: str, rule: str) -> Act | None:
    """"¿y el de 3/4?", "y en cobre", "y la de 1 hp?": the last product asked about, one detail changed."""
    m = _FOLLOW_UP.match(norm)
    if m is None or rule not in _FOLLOW_UP_RULES or any(p.search(norm) for p in (*lx.TOPICS.values(), lx.GENERAL,
                                                                                 lx.STOCK_QUESTION)) \
            or _IF_I_TAKE.search(norm):
        return None
    lone = re.fullmatch(r"\d{1,5}", m["rest"].strip())
    counted = _count(m["rest"]) is not None or any(ln.quantity for ln in extract_lines(m["rest"]))
    if not m["lead"] and counted and not (lone and not 12 < int(lone.group()) < 400):
        return None  # "y 10 codos", "y cpl pvc 1/2 x30" add a line; "¿y 1?", "¿y 2500?" ask about another size
    rest = re.sub(r"\s+(?:one|ones|uno|una|cuanto)$", "", m["rest"].strip())  # "¿y el tapón de 1/2 cuánto?"
    # "y lo mismo pero de 1?": the detail is what changes
    rest = to_catalog_words(re.sub(r"^(?:de )?(?:(?:lo|el|la|los|las|esos|esas|ese|esa) )?mism[oa]s? (?:pero )?", "",
                                   rest))
    return Act(kind="question", topic="price" if rule == "check_price" else None,
               lines=[Line(product=rest, size=size_of(rest), attributes=attributes_of(rest))])


# "de 1", "en cobre", "del sanitario blanco": what the lines come in, again
_DETAIL = (r"(?:de|en|del|de la|de los|de las) (?:\d[\d/\"]*(?: \d[\d/\"]*)?|[a-z]+"
           r"(?: (?!porfavor|please|tambien|pero|para|que|y\b|o\b|con\b)[a-z]{4,})?)")
_SAME_AGAIN = re.compile(rf"(?:^|(?<=\s))(?:(?:de )?(?:(?:esos|esas|los|las|lo) mism[oa]s?(?: (?P<noun>[a-z]{{3,}}))?"
                         rf"(?: pero)?|(?:esos|esas) "
                         rf"pero) "
                         rf"(?P<after>{_DETAIL})|(?P<before>{_DETAIL}) (?:lo|los|las) mism[oa]s?)(?=\s|$|,)")
_SAME_WORDS = frozenset({"mismo", "misma", "mismos", "mismas", "esos", "esas", "pero"})
_EVERY = frozenset({"cada uno", "cada una", "each"})
_EACH_COUNT = re.compile(r"(?P<q>\d{1,5}) (?:de )?(?:cada uno|cada una|c/u|de c/u)\b")


def _same_again(norm: str) -> Act | None:
    """ "y de esos mismos pero de 1, 10 de cada uno": every drafted line again, in the detail said."""
    m = _SAME_AGAIN.search(norm)
    if m is None:
        return None
    detail = (m["after"] or m["before"]).strip()
    # "10 de cada uno", "otras 20", "ponme 6": the count of each new line (else as many as before)
    rest = norm[:m.start()] + norm[m.end():]
    each = _EACH_COUNT.search(norm) or re.search(r"(?<![\w/])(?P<q>\d{1,5})(?![\w/])", rest)
    line = Line(product=detail, size=size_of(detail), attributes=attributes_of(detail),
                quantity=int(each["q"]) if each else None)
    if (noun := m["noun"]) is not None and noun != "pero":
        if noun_of(noun) is None:
            return None
        # "de esos mismos codos pero de 1, otros 30": that line again, in 1"
        words = f"{noun} {detail}" + ('"' if re.fullmatch(r"de (?:1[0-2]|[1-9])", detail) else "")
        return Act(kind="add", lines=[line.model_copy(update={"product": words, "size": size_of(words)})])
    return Act(kind="add", target="todo", lines=[line])


def _stock_asked_apart(norm: str, acts: list[tuple[int, Act]]) -> list[tuple[int, Act]]:
    """ "mándame 2 rollos de cable…, y el contacto gfci ¿cuántos tienen?": the last clause asks the stock of a
    product named without a count; it is no line of the order."""
    ordered = [a for _, a in acts if a.kind in ("order", "add")]
    asked = lx.STOCK_QUESTION.search(norm)
    if not ordered or asked is None or norm[asked.end():].strip(" ?,"):
        return acts
    start = norm.rfind(" , ", 0, asked.start())
    clause = norm[start + 3 if start >= 0 else 0:asked.start()]
    inside = re.fullmatch(r"(?:y )?(?:cuant[oa]s|how many) (?P<p>.+?) (?:hay|tienen|tienes|tiene|quedan|manejan|tendran"
                          r"|les quedan|te quedan|do you have|are there|are left|you got|have you got)", asked.group())
    if inside is not None and not clause.strip(" ,y"):  # "…, cpl 4 x20 .. y cuántas coladeras de 4 tienes?"
        clause = inside["p"]
    elif not clause.strip(" ,") and start > 0:  # "…, y el contacto gfci ¿cuántos tienen?": the clause before the "¿"
        before = norm.rfind(" , ", 0, start)
        clause, start = norm[before + 3 if before >= 0 else 0:start], before
    lines = extract_lines(clause)
    if start < 0 or len(lines) != 1 or lines[0].quantity is not None or noun_of(lines[0].product) is None:
        return acts
    kept = [(p, a.model_copy(update={"lines": [ln for ln in a.lines if not ln.product.startswith(lines[0].product)]}))
            if a.kind in ("order", "add") else (p, a) for p, a in acts]
    return [*kept, (asked.start(), Act(kind="question", topic="stock", lines=lines))]


_FOR_EACH_ONE = re.compile(r"\s+(?:para|por|for|a|pa) (?:cada uno|cada una|each one|each|every one)$")
_THE_SAME_BUT = re.compile(r"(?:^|(?<=\s))(?:de )?(?:esas|esos|las|los|lo|la|el|esa|ese) mism[oa]s?(?: pero)?(?=\s)")


def _lines_or_words(norm: str) -> list[Line]:
    """The lines of a question, or its product words when they name nothing the lexicon knows ("el thinner")."""
    norm = _THE_SAME_BUT.sub(" ", norm).strip()  # "¿y de esas mismas pero de 1?": the one just asked, in 1"
    lines = extract_lines(norm)
    if (variants := variants_asked(norm)) is not None and (len(variants) > len(lines) or any(
            ln.quantity and detail_only(ln) for ln in lines)):  # "…19 L, the 3 year and the 5 year": no counts
        return variants  # "¿a cómo la stilson de 18 y la de 24?": each variant asked about
    if lines:
        return lines
    words = _product_query(norm, strip_count=True)
    return [Line(product=to_catalog_words(words), size=size_of(words))] if words else []


def _primary(norm: str, rule: str, today: date) -> list[tuple[int, Act]]:
    """The acts of the rule intent the classifier chose."""
    match rule:
        case "create_order":
            kind = "add" if lx.ADD.search(norm) else "order"
            # "apártame 4", "mándame 100": the product is the one just quoted
            lines = extract_lines(norm)
            if not lines and (m := lx.OPTION_BY_ATTRIBUTE.search(norm)):  # "mándame el de 13": the variant said
                hint = m["hint"].strip()
                lines = [Line(product=hint, quantity=_quantity(norm), size=size_of(hint),
                              attributes=attributes_of(hint))]
            lines = lines or [Line(product="", quantity=_quantity(norm) or (1 if lx.ONE_LEFT.search(norm) else None))]
            return [(0, Act(kind=kind, lines=lines))]  # type: ignore[arg-type]
        case "search_product":
            if m := lx.STOCK_QUESTION.search(norm):
                # "cuántas cisternas tienen de 5000 litros": what follows the verb is still the product
                asked = norm[:m.start()] + _STOCK_VERB.sub(" ", m.group()) + norm[m.end():]
                # "cuántas bombas sumergibles y cuántas presurizadoras": each asked about
                asked = re.sub(r"(?<=\s)(?:y|e) cuant[oa]s (?=[a-z])", "y ", asked)
                lines = extract_lines(asked)
                if (variants := variants_asked(asked)) is not None and len(variants) > len(lines):
                    lines = variants  # "¿cuántos tinacos de 750 y de 2500 tienen?": each of them
                if not lines and (said := _DETAIL_ASKED.search(asked.strip())) is not None:
                    hint = said["hint"].strip()  # "¿cuántos tienen del de 62?": of the one quoted in that detail
                    lines = [Line(product=hint, size=size_of(hint), attributes=attributes_of(hint))]
                return [(m.start(), Act(kind="question", topic="stock", lines=lines))]
            lines = _lines_or_words(norm)
            # "y 4 válvulas de esfera de 1/2": counted, it is an order whatever the verb
            return [(0, Act(kind="order" if any(ln.quantity for ln in lines) else "search", lines=lines))]
        case "check_price":
            if (m := _IF_I_TAKE.search(norm)) and not extract_lines(norm[m.end():]):
                # "¿y si me llevo 20?": the price of the product just quoted, for that many
                return [(0, Act(kind="question", topic="price", lines=[Line(product="", quantity=int(m["q"]))]))]
            return [(0, Act(kind="question", topic="price", lines=_lines_or_words(norm)))]
        case "payment_status":
            return [(0, Act(kind="paid"))]
        case "promise_to_pay":
            return [(0, Act(kind="promise_to_pay", promise_date=find_promised_date(norm, today=today),
                            promise_amount=find_amount(norm)))]
        case "account_statement":
            return [(0, Act(kind="statement"))]
        case "select_option":
            selection = _selection(norm)
            if selection is None:  # "tipo L", "pvc", "type M please", "y 1100 cuánto?": a few words naming the option
                hint = to_catalog_words(_HINT_EDGES.sub("", norm)) or norm
                if (count := _quantity(norm)) is not None:  # "20 de 90": twenty of the one of 90
                    hint = re.sub(rf"^{count}\s+(?=\S)", "", hint)
                return [(0, Act(kind="choose", option_hint=hint, quantity=count))]
            start, end = selection.span
            quantity = _quantity(f"{norm[:start]} {norm[end:]}")
            if quantity is None and lx.ORDER_VERB.search(norm[:start]):
                quantity = 1  # "mándame el de 13": one of it, ordered
            hint = to_catalog_words(selection.hint) if selection.hint else None  # "the clear one": transparente
            return [(0, Act(kind="choose", option_index=selection.index, option_hint=hint, quantity=quantity))]
        case "confirm" | "cancel":
            return [(0, Act(kind=rule))]
    return []


def acts_of(norm: str, rule: str, context: FlowContext, today: date) -> list[Act]:
    """The message's acts in the order they matter: edits or the rule intent's act first, then the rest."""
    acts: list[tuple[int, Act]] = []
    edits, spans = _edits(norm) if context != "none" else ([], [])
    if rule == "select_option" and all(a.kind == "change_quantity" and (
            a.target is None or a.target in lx.COUNT_UNIT or noun_of(a.target) is None)
            and not (context == "awaiting_confirmation" and a.target) for _, a in edits):
        edits, spans = [], []  # "la 2 pero que sean 10": the pick carries the quantity
    if context == "options_shown":
        # "mejor 50 de 45° pvc de 1" with options shown: the details pick one, the count is how many
        edits = [(p, Act(kind="choose", option_hint=a.target, quantity=a.quantity))
                 if a.kind == "change_quantity" and a.target and noun_of(a.target) is None
                 and (size_of(a.target) or attributes_of(a.target)) else
                 # "entonces que sean de 90" with the options shown: the one of 90
                 (p, Act(kind="choose", option_hint=a.lines[0].product, quantity=a.lines[0].quantity))
                 if a.kind == "replace" and not a.target and len(a.lines) == 1 and detail_only(a.lines[0])
                 else (p, a) for p, a in edits]
        if any(a.kind == "choose" for _, a in edits) and rule == "confirm":
            rule = "select_option"  # "ps va, mejor 50 de…": the "va" is no yes to something else
    again = _same_again(norm) if context == "awaiting_confirmation" else None
    if again is not None:  # "de esos mismos pero de 1, 10 de cada uno": the count is of each new line
        edits = [(p, a) for p, a in edits if not (a.kind == "change_quantity" and a.target in _EVERY)
                 and not set((a.target or "").split()) & _SAME_WORDS]
    rest = _blank(norm, spans) if spans else norm
    if context == "stock_offer" and (other := _the_rest_in_another(norm)) is not None:
        acts += other  # "dame los 6 y complétame con 6 dúplex", "las 20 de 3/4 y las otras 20 hazlas de 1/2"
        edits = []
    elif context == "stock_offer" and not edits and (apart := _stock_answers_apart(norm)):
        acts += apart  # "de las tees nomás las 20, y del tubo los 5 y lo que falta cuando llegue": each its own
    elif context == "stock_offer" and not edits and (answer := _stock_answer(norm, rule)) is not None:
        acts.append((0, answer))
        # "ok send the 6 you have, and add 20 LED bulbs…": what follows "add" is more; "envíen las 17 válvulas
        # disponibles y las 7 restantes…" only says the offer again
        added = lx.ADD.search(norm, 1)
        said = extract_lines(norm[added.start():]) if added else []
        if more := [ln for ln in said if ln.quantity and noun_of(ln.product)]:
            acts.append((1, Act(kind="add", lines=more)))
    elif context == "stock_offer" and edits and (answer := _stock_answer(
            re.sub(r"(?:\s+(?:y|,|tambien|tmb))+\s*$", "", rest.strip(" ,")), "")) is not None:
        acts.append((0, answer))  # "mándame los 7 y de kits también nomás 7": the offer answered, another line edited
    acts += edits
    if not acts and again is not None:
        acts.append((0, again))
    if not acts and len(norm.split()) <= 8 and (follow := _follow_up(norm, rule)) is not None:
        acts.append((0, follow))
    if not acts:
        acts += _primary(rest, rule, today)
    elif edits:
        lines = extract_lines(_KEPT.sub("", rest))  # "…, los 2 electroniveles sí": kept as they are, not added
        if lines and (lx.ADD.search(rest) or all(ln.quantity for ln in lines)):
            acts.append((len(norm), Act(kind="add", lines=lines)))  # "quitale las tees y agregale 10 codos"
        elif not lines and context == "awaiting_confirmation" and (at := counted_positions(rest)) is not None:
            acts += [(len(norm), a) for a in at]  # "quita el último y del primero ponme 30"
        said_yes = lx.CONFIRM.search(norm)
        weak = said_yes is not None and said_yes.group() in ("ok", "bueno", "vale")  # "ok, nomás una bomba"
        if rule == "confirm" and (lx.CONFIRM_WORD.search(rest) or not weak):
            acts.append((len(norm), Act(kind="confirm")))  # "va, sin los cepillos, mándalo así": the yes stays
    if context == "awaiting_confirmation" and _FOR_EACH_ONE.search(norm):
        # "plus an accessory kit for each one", "y un kit para cada uno": as many as the line before
        acts = [(p, a.model_copy(update={"target": "cada uno", "lines": [ln.model_copy(update={
            "quantity": None, "product": _FOR_EACH_ONE.sub("", ln.product).strip()}) for ln in a.lines]}))
                if a.kind in ("order", "add") and a.lines and a.lines[-1].product else (p, a) for p, a in acts]
    kinds = {a.kind for _, a in acts}
    if not kinds & {"order", "add", "stock_answer"} and rule not in ("select_option", "confirm", "cancel",
                                                                     "check_price"):
        lines = extract_lines(rest)
        if lines and any(ln.quantity for ln in lines) and lx.ORDER_VERB.search(rest):
            acts.append((len(norm), Act(kind="order", lines=lines)))  # "cuanto debo? y mandame 10 codos"
    acts = _stock_asked_apart(norm, acts)
    primary_topic = next((a.topic for _, a in acts if a.kind == "question"), None)
    for position, act in _topics(rest):
        if act.topic != primary_topic and not (act.topic == "stock" and kinds & {"order", "add", "search"}):
            acts.append((position, act))
    handoff = [(p, a) for p, a in _handoff(norm) if a.kind not in kinds]
    ordered_first = bool(handoff) and (verb := lx.ORDER_VERB.search(norm)) is not None and verb.start() < min(
        p for p, _ in handoff)
    if ordered_first:  # "quiero 20 coples…, y por cierto el pedido pasado llegó incompleto": both, the order before
        said = extract_lines(norm[:min(p for p, _ in handoff)])
        acts = [(p, a.model_copy(update={"lines": said}) if a.kind in ("order", "add") else a) for p, a in acts]
    elif handoff:
        # "me llegaron rotos los codos", "llevan 3 días sin entregarme": the products and the delivery
        # named are what went wrong, not a new order or a question on delivery
        acts = [(p, a) for p, a in acts if a.kind not in _ORDERISH
                and not (a.kind == "question" and a.topic in ("delivery", "order_status"))]
    acts += handoff
    if not acts and (talk := _small_talk(norm)) is not None:
        acts.append((0, talk))
    # The first act names the intent: the rule intent's act leads, questions and the rest follow in
    # the order written, except that a request for a person leads whatever else was said.
    head = [a for _, a in acts[:1]]
    tail = sorted(acts[1:], key=lambda pa: pa[0])
    ordered = head + [a for _, a in tail]
    if not head or head[0].kind not in (*_ORDERISH, "confirm", "cancel"):
        ordered.sort(key=lambda a: a.kind not in ("human", "complaint"))
    return ordered


def language_of(norm: str) -> Language | None:
    """"en" or "es" by the words only one of them uses; None when the message shows neither ("10", "ok")."""
    tokens = norm.split()
    english = sum(tok in lx.ENGLISH_WORDS or tok in ENGLISH_PRODUCT_WORDS for tok in tokens)
    spanish = sum(tok in lx.SPANISH_WORDS for tok in tokens)
    if english > spanish:
        return "en"
    if spanish > english:
        return "es"
    return None


__all__ = ["acts_of", "language_of"]
