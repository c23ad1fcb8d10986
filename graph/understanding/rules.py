"""The deterministic rules reader, for Mexican Spanish and plain English.

`read_by_rules` normalises the text (`lexicon.normalize`), runs the ordered rules below against the
open flow to find what the message is mainly about (its rule intent, one of ten), then `acts.acts_of`
reads every act with its details (order lines, edits, the option picked, questions, a promise's date
and amount). `RulesReader` wraps it as a `MessageReader`: the embedded default, and the LLM reader's
fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from graph.understanding import lexicon as lx
from graph.understanding import spelling
from graph.understanding.acts import acts_of, language_of
from graph.understanding.dates import find_date, find_promised_date
from graph.understanding.details import (
    _has_count_unit,
    _has_product,
    _names_goods,
    _product_query,
    _quantity,
    _selection,
)
from graph.understanding.lines import attributes_of, extract_lines, noun_of, size_of, split_comparative
from graph.understanding.reading import GUESS, HIGH, MEDIUM, SURE, UNKNOWN, WEAK, Act, FlowContext, Line, Reading
from graph.understanding.references import (
    ASKED_BEFORE,
    all_counted,
    counted_positions,
    said_before,
    several_picks,
)

# The ten intents the ordered rules tell apart; `acts_of` turns the one found into acts.
RuleIntent = str


@dataclass(frozen=True)
class _Verdict:
    intent: RuleIntent
    confidence: float
    reason: str


class RulesReader:
    """Deterministic Spanish/English rules: the embedded default, and the LLM reader's fallback."""

    async def read(self, text: str, *, context: FlowContext, today: date) -> Reading:
        """Read `text` with the rules (pure, no I/O)."""
        return read_by_rules(text, context=context, today=today)

    async def aclose(self) -> None:
        """Nothing to release; here so every reader built by `build_reader` can be closed alike."""


def _sure(acts: list[Act], norm: str, reason: str) -> Reading:
    """A reading one rule settles before the classifier is asked."""
    return Reading(acts=acts, language=language_of(norm), confidence=HIGH, reason=reason)


def read_by_rules(text: str, *, context: FlowContext, today: date) -> Reading:
    """The rules reader as a plain function: normalise, classify, then read every act."""
    norm = lx.normalize(text)
    if (sigh := re.match(r"m{2,}\s*,?\s*", norm)) and norm[sigh.end():]:
        norm = norm[sigh.end():]  # "mm, nomás de la última": a sigh, no "m" of metres (the typo fixer makes "mmm" "m")
    if context == "options_shown" and (usual := _THE_USUAL.sub("", norm).strip(" ,")) and usual != norm:
        norm = usual  # "el coflex, el de siempre": the pick; that it is the usual one picks nothing more
    if context == "options_shown" and (bare := _INTERJECTIONS.sub("", norm)) and bare != norm:
        norm = bare  # "ah chin, entonces q sean de 90": the answer to the options, after the sigh
    if context == "options_shown" and (same := _SAME_COUNT.search(norm)) is not None and norm[:same.start()].strip():
        norm = f"{same['q'] or ''} {norm[:same.start()]}".strip()  # "de 90, los mismos 20": twenty of the one of 90
    if context == "options_shown" and (not_that := _NOT_THAT_THE_OTHER.fullmatch(norm)) is not None:
        return _sure([Act(kind="choose", option_hint=f"no {not_that['x']}")], norm,
                     "the other of those shown")  # "la truper no, la otra"
    if context == "awaiting_confirmation" and _THE_OTHER_ALONE.match(norm):
        return _sure([Act(kind="replace", lines=[Line(product="la otra")])], norm, "the option not picked")
    if context == "awaiting_confirmation" and (kept := _AS_BEFORE.sub("", norm)) and kept != norm:
        norm = kept  # "mejor las de 5 años, igual de cubeta": what stays as it was is no edit
    if context in ("stock_offer", "awaiting_confirmation") and (those := _THOSE_INSTEAD.match(norm)) is not None:
        # "entonces mejor esas, las 12" after another product was quoted: that one instead of the line
        line = Line(product="esas", quantity=int(those["n"]) if those["n"] else None)
        return _sure([Act(kind="replace", lines=[line])], norm, "the product just quoted instead")
    if context in ("stock_offer", "awaiting_confirmation", "none") and _OTHER_BRAND.search(norm):
        # "no, entonces de la otra marca, los 60": the line offered or last drafted, in the other brand
        line = Line(product="otra marca", quantity=_quantity(_OTHER_BRAND.sub(" ", norm)))
        return _sure([Act(kind="replace", lines=[line])], norm, "the same product in another brand")
    if context != "stock_offer" and (rest := _rest_said(norm, context=context, today=today)) is not None:
        return rest
    if context == "options_shown" and (both := _pick_then_edit(norm, today)) is not None:
        return _sure(both, norm, "a pick among the options, then an edit of the draft")
    referred = None
    # "2 del más grande y 1 del otro", "y de la dica 10": counts of the products quoted together, read once
    picks = several_picks(norm, fewest=1) if context == "awaiting_confirmation" else None
    if context in ("none", "options_shown") or ASKED_BEFORE.search(norm):
        referred = said_before(norm, options_shown=context == "options_shown")
        if referred is None and context == "none" and (positions := several_picks(norm)) is not None \
                and any(a.option_index is not None for a in positions):
            referred = positions  # "del primero 40, del segundo 20 y de la tuerca 10" of the products quoted
        if referred is None and (more := _AND_MORE.search(norm)) is not None and (referred := said_before(
                norm[:more.start()], options_shown=context == "options_shown")) is not None:
            # "del primero 10 y del otro 5, y también 10 niples de 3/4": the products said before, and more
            lines = [ln for ln in extract_lines(norm[more.end():]) if ln.quantity and ln.product]
            referred = [*referred, Act(kind="add", lines=lines)] if lines else None
    elif context == "awaiting_confirmation":
        # several picks at once, "del último mándame 3", "de todos 25"
        positions = counted_positions(norm) if not lx.REMOVE.search(norm) else None
        if picks is not None and len(picks) >= 2 and len(picks) > len(positions or []):
            positions = None  # "del primero 40, del segundo 20 y de la tuerca 10": positions and a name
        referred = positions or (picks if picks is not None and len(picks) >= 2 else None) or all_counted(norm)
    if referred is not None:
        # "de esos, 10 de cada uno", "2 del primero y 1 del último": products said before, each counted
        return _sure(referred, norm, "counts of products said before")
    if context == "options_shown" and len(lines := extract_lines(norm)) >= 2 and not lines[0].product \
            and lines[0].quantity and all(ln.quantity or ln.product for ln in lines[1:]) and lx.ORDER_VERB.search(norm):
        # "dame 1 y una de 18 tmb", "mándame 2 de esos y uno de 1/2": one of those shown, and one more line
        return _sure([Act(kind="order", lines=lines)], norm, "a count of an option shown and more lines")
    verdict = _classify(norm, context, today)
    acts = acts_of(norm, verdict.intent, context, today)
    if verdict.reason == _ASKS_THE_TOTAL:
        acts = [Act(kind="question", topic="price")]  # the draft's quote answers it
    if picks is not None and (not acts or (len(acts) == 1 and acts[0].kind == "question" and acts[0].topic is None)):
        acts, verdict = picks, _Verdict("select_option", HIGH, "a count of one product quoted")  # "y de la dica 10"
    if context == "none" and text.rstrip().endswith("?") and _A_ONE_ASKED.match(norm) and len(acts) == 1 \
            and acts[0].kind == "order" and len(acts[0].lines) == 1:
        # "¿y una llave de paso de 3/4?" with no draft open: asked about like the products before, not ordered
        line = acts[0].lines[0].model_copy(update={"quantity": None})
        acts = [Act(kind="question", lines=[line])]
    if ((len(acts) == 1 and acts[0].kind in ("order", "add") and len(acts[0].lines) == 1
         and not acts[0].lines[0].product) or not acts) and (cheaper := split_comparative(norm)[1]):
        # "ok de la más barata dame 2", "2 of the cheaper one": a pick among the products quoted or shown
        count = acts[0].lines[0].quantity if acts else _quantity(norm)
        acts = [Act(kind="choose", option_hint=cheaper, quantity=count)]
        verdict = _Verdict("select_option", max(verdict.confidence, MEDIUM), "a pick by price")
    if (context == "options_shown" and len(acts) == 1 and acts[0].kind in ("order", "add") and len(acts[0].lines) == 1
            and (said := acts[0].lines[0]).product and said.quantity and noun_of(said.product) is None):
        # "entonces dame 2 de depósito de 40 litros de gas lp": a count of the option those words describe
        acts = [Act(kind="choose", option_hint=said.product, quantity=said.quantity)]
        verdict = _Verdict("select_option", max(verdict.confidence, MEDIUM), "a count of an option described")
    if (context == "options_shown" and len(acts) == 1 and acts[0].kind in ("order", "add") and len(acts[0].lines) == 1
            and not acts[0].lines[0].product and (biggest := _BY_MEASURE.search(norm))):
        # "mándame 3 del más grande": a pick by its measure, and how many
        acts = [Act(kind="choose", option_hint=biggest["m"], quantity=acts[0].lines[0].quantity)]
        verdict = _Verdict("select_option", max(verdict.confidence, MEDIUM), "a pick by its measure")
    if (context == "options_shown" and len(acts) == 1 and acts[0].kind == "choose" and acts[0].quantity is None
            and acts[0].option_hint and (group := _GROUP_SAID.search(acts[0].option_hint))):
        # "las truper, media docena xfa", "el rotoplas, que sea un par": the pick, and how many of it
        acts = [acts[0].model_copy(update={"quantity": _quantity(group.group().strip(" ,")),
                                           "option_hint": acts[0].option_hint[:group.start()].strip(" ,") or None})]
    if context == "options_shown" and len(acts) == 1 and acts[0].kind == "choose" and (both := _BOTH.search(norm)):
        # "cpvc, los dos" to options for one of two lines: that detail for this line and the ones waiting
        detail = " ".join(f"{norm[:both.start()]} {norm[both.end():]}".replace(",", " ").split())
        detail = re.sub(r"^(?:de|en|del|para)\s+|\s+(?:para|de|en)$", "", detail)
        if detail:
            acts = [Act(kind="choose", option_hint=detail, target="todos", quantity=acts[0].quantity)]
    if context in ("options_shown", "awaiting_confirmation") and len(acts) == 1 and acts[0].kind == "choose" \
            and (more := _more_after_the_pick(norm, acts[0].quantity)):
        acts = [acts[0], Act(kind="add", lines=more)]  # "el de litro, 6 y 6 limpiadores": the pick, and a line
    confidence = verdict.confidence
    edited = any(a.kind in ("remove", "change_quantity", "replace") for a in acts)
    # an add beside another edit, or one that names the draft's lines ("de esos mismos pero de 1"), is sure too
    if acts and confidence < HIGH and all(a.kind in _SURE_ALONE or (a.kind == "add" and (a.target or edited))
                                          for a in acts):
        confidence = HIGH  # "ok", "gracias", "quiero hablar con alguien": nothing to guess at
    return Reading(acts=acts, language=language_of(norm), confidence=confidence, reason=verdict.reason)


_MORE_AFTER = re.compile(r"\s(?:,|y|e|mas|tambien|con)\s+(?:y\s+)?(?=(?:\d{1,5}|un|una|unos|unas|sus?)\s)")


def _more_after_the_pick(norm: str, count: int | None) -> list[Line]:
    """ "la más barata, 4 pzas y 4 céspol de lavabo", "el de 1100, mándame 3 con su multiconector cada uno": the
    products counted after a pick (what comes "con su…" one for each piece picked)."""
    for m in _MORE_AFTER.finditer(norm):
        rest = norm[m.end():]
        lines = [ln for ln in extract_lines(rest) if noun_of(ln.product)]
        if lines and all(ln.quantity for ln in lines):
            return lines
        if lines and count and re.match(r"sus? ", rest):
            return [ln.model_copy(update={"quantity": ln.quantity or count,
                                          "product": re.sub(r"\s+cada (?:uno|una)$", "", ln.product)}) for ln in lines]
    return []


_PAYS_BY = re.compile(r"(?:^|(?<=\s))(?:te |le |les )?(?:pago|pagamos|pagaria|pagare|lo pago) (?:con|por|en|mediante) "
                      r"(?:el |la |un |una )?(?:link|liga|enlace|tarjeta|transferencia|deposito|spei)\b")
# what may surround a yes and leave it a yes alone
_ONLY_YES_AROUND = re.compile(r"\b(?:con eso|ya con eso|asi|entonces|pues|porfavor|porfa|gracias|muchas|mil|please|"
                              r"thanks|thank you|bueno|ok|okay|ya|todo|eso|es todo|y)\b")
_OTHER_BRAND = re.compile(r"\b(?:otra marca|la otra marca|(?:the )?other brand|another brand)\b")
_THOSE_INSTEAD = re.compile(r"^(?:(?:ok|va|entonces|pues|bueno|no|nel|ah|sale)\s*,?\s*)*(?:mejor|better|instead) "
                            r"(?:esas|esos|esa|ese|those|that one|these)(?:\s*,?\s*(?:las|los|the) (?P<n>\d{1,5}))?$")
_SAME_COUNT = re.compile(r"\s*,?\s*(?:los|las|lo) mism[oa]s?(?: (?P<q>\d{1,5}))?$")
_NOT_THAT_THE_OTHER = re.compile(r"(?:(?:el|la|los|las) )?(?P<x>[a-z0-9/\" ]{2,30}?) no\s*,?\s*(?:mejor )?"
                                 r"(?:el|la|los|las) otr[oa]s?(?: mejor)?")
# "nel, la de siempre no, la otra", "no espera, las otras": with a draft to confirm, the option not picked
_THE_OTHER_ALONE = re.compile(r"^(?:(?:no|nel|espera|esperame|oye|mejor|siempre|mmm|este|pensandolo bien|"
                              r"(?:la|el|los|las|esa|ese|esas|esos)(?: de siempre)?(?: no)?)\s*,?\s*)*"
                              r"(?:mejor |dame |mandame |ponme )?(?:la|el|las|los) otr[oa]s?(?: mejor)?$")
_THE_USUAL = re.compile(r"\s*,?\s*(?:(?:el|la|los|las|lo|como) )?(?:de siempre|que siempre (?:llevo|pido|me llevo))\b")
_AS_BEFORE = re.compile(r"\s*,\s*(?:igual|lo mismo|same as before|same) (?:de|en|in) [a-z]+$")
_INTERJECTIONS = re.compile(r"^(?:(?:ah|ay|uy|oh|chin|chale|ups|oops|m+|este|entonces|pues)\b\s*,?\s*)+")


_PICK_CUT = re.compile(r"\s,\s(?:y\s)?|\sy\s")
_EDIT_KINDS = frozenset({"add", "order", "remove", "change_quantity", "replace"})


def _pick_then_edit(norm: str, today: date) -> list[Act] | None:
    """ "las truper, y agrégale 10 seguetas", "el truper, y los taquetes que sean 12": the option picked, then an
    edit of the draft, each read on its own (read whole, the pick's brand would bleed into the new line)."""
    cut = _PICK_CUT.search(norm)
    if cut is None or len(head := norm[:cut.start()].split()) > 4:
        return None
    pick = read_by_rules(" ".join(head), context="options_shown", today=today).acts
    if len(pick) != 1 or pick[0].kind != "choose" or pick[0].quantity is not None:
        return None
    if re.match(r"(?:\d|un |una |uno )", tail := norm[cut.end():]):
        return None  # "el de litro, 6 y 6 limpiadores": the pick's count first (see _more_after_the_pick)
    edits = read_by_rules(tail, context="awaiting_confirmation", today=today).acts
    if not edits or any(a.kind not in _EDIT_KINDS for a in edits) or not all(
            noun_of(a.target or "") or (a.lines and all(noun_of(ln.product) for ln in a.lines)) for a in edits):
        return None  # "el pvc de 90, apártame 20": the pick's count, no other line named
    return [pick[0], *(a.model_copy(update={"kind": "add"}) if a.kind == "order" else a for a in edits)]


def _rest_said(norm: str, *, context: FlowContext, today: date) -> Reading | None:
    """ "ocupo 10, mándame los 7 y los otros 3 cuando lleguen": the order read alone, and the rest on backorder
    already agreed to, so no offer is asked about."""
    if (rest := lx.REST_WITH_ORDER.search(norm)) is None:
        return None
    cut = min(m.start() if (m := lx.STOCK_SAID_FROM.search(norm)) is not None else len(norm), rest.start())
    said = norm[:cut].strip(" ,")
    if not said or said == norm:
        return None
    reading = read_by_rules(said, context=context, today=today)
    if not any(a.kind in ("order", "add", "choose") for a in reading.acts):
        return None
    return reading.model_copy(update={"acts": [*reading.acts, Act(kind="stock_answer", backorder=True)],
                                      "confidence": max(reading.confidence, HIGH),
                                      "language": reading.language or language_of(norm)})


def _says_no(norm: str) -> bool:
    """A no anywhere in the message: a refusal ("cancélalo") or a no opening a clause ("no, mejor…")."""
    return bool(lx.CANCEL.search(norm) or lx.CANCEL_START.search(norm))


_AND_MORE = re.compile(r"\s,\s(?:y\s)?(?:tambien|ademas|aparte|y)\s|\sy tambien\s")
_BY_MEASURE = re.compile(r"\b(?:del|de la|de los|de las|el|la|los|las) (?P<m>mas (?:grande|chic|pequen|larg|cort|alt)"
                         r"[a-z]*)\b")
_GROUP_SAID = re.compile(r"(?:^|,?\s)(?:que sean? )?(?P<n>un|una|media|medio|\d{1,3}) "
                         r"(?P<g>docenas?|par|pares|cientos?)$"
                         # "la helvex, 2 pzas", "el truper , que sean 3": a count after the pick
                         r"|\s(?:,\s)?(?:que sean? )?\d{1,4} (?:piezas|tramos|rollos|cajas|juegos|kilos|unidades)$"
                         r"|\s,\s(?:que sean? )?\d{1,4}$")
_WHERE_TO = re.compile(r"\b(?:a (?:que|q|cual) cuenta|cual cuenta|donde|a donde|clabe|datos|numero de cuenta)\b")
_BOTH = re.compile(r"(?:^|(?<=\s))(?:(?:para|en|de) )?"
                   r"(?:los dos|las dos|los 2|las 2|ambos|ambas|todos|todas|both|all of them)(?=\s|$|,)")
_A_ONE_ASKED = re.compile(r"^(?:y|and|ok y|va y)\s+(?:un|una|uno|a|an)\s+[a-z]")

# Acts that read the same whatever flow is open, so a low rule confidence does not hold them back.
_SURE_ALONE = frozenset({"ack", "thanks", "goodbye", "greeting", "human", "complaint", "question",
                         "remove", "change_quantity", "replace", "stock_answer"})


def _classify(norm: str, context: FlowContext, today: date) -> _Verdict:
    if not norm:
        return _Verdict("general_question", UNKNOWN, "empty message")
    if context in ("awaiting_confirmation", "stock_offer"):
        verdict = _answer_to_confirmation(norm, today)
        if verdict is not None:
            return verdict
    elif context == "options_shown":
        verdict = _answer_to_options(norm, today)
        if verdict is not None:
            return verdict
    return _open_request(norm, context, today)


_NOTHING_TO_CHANGE = re.compile(r"(?:(?:ok|va|ya|pues|bueno|si)\s+,?\s*)*(?:creo que\s+)?"
                                r"(?:(?:eso|es|seria|eso es|eso seria)\s+(?:todo|todo por ahora)|ya con eso|con eso"
                                r"|nada mas|ya estuvo|ya|ya quedo|ya esta|ahi (?:te|le|se) (?:lo )?encargo"
                                r"|that(?:s| is) (?:all|it))"
                                r"(?:\s+,?\s*(?:muchas|mil|gracias|thanks|porfa|porfavor|saludos|bendiciones|dale|va"
                                r"|confirm[a-z]*|mandal[oa]|mandamel[oa]|procede))*")


def _answer_to_confirmation(norm: str, today: date) -> _Verdict | None:
    """A yes or no to "¿confirmas?", unless the message clearly asks for something new."""
    if _HOW_MUCH_IN_ALL.search(norm):
        return _Verdict("check_price", HIGH, _ASKS_THE_TOTAL)  # "¿cuánto va?" is no "va"
    if lx.LATER.search(norm) or (lx.APOLOGY.search(norm) and not lx.CONFIRM_WORD.search(norm)):
        return _Verdict("general_question", HIGH, "the answer comes later: the draft waits")  # "ok, ahorita te digo"
    if lx.RESTORE.search(norm):
        return _Verdict("create_order", HIGH, "a line taken out, put back")  # "no, siempre sí ponlos": no refusal
    short = len(norm.replace(",", " ").split()) <= 3
    take = lx.TAKE_IT.search(norm)
    rest = (norm[:take.start()] + " " + norm[take.end():]).replace(",", " ").split() if take else []
    only_yes = all(w in _CONFIRM_LEADS or lx.CONFIRM.fullmatch(w) or w in ("porfavor", "ya") for w in rest)
    if take and (short or only_yes) and _quantity(norm) is None:  # "sí, mándamelo", "ok si lo quiero": the draft
        return _Verdict("confirm", HIGH, "take it while awaiting confirmation")
    if (lx.CONFIRM_WORD.search(norm) and _THE_ORDER.search(norm) and _quantity(norm) is None
            and not _says_no(norm)):
        return _Verdict("confirm", HIGH, "the order named and a yes to it")  # "y el pedido sí, confírmalo"
    if _CONFIRMS_AS_IS.match(norm) and not _CHANGE_CUES.search(norm):
        return _Verdict("confirm", HIGH, "confirms the lines it names")  # "sí confirmo los 10 coples"
    if _NOTHING_TO_CHANGE.fullmatch(norm):  # "eso es todo" to "¿confirmo, o qué cambio?": nothing to change
        return _Verdict("confirm", HIGH, "nothing more to change while awaiting confirmation")
    strong = [m.group() for m in lx.CONFIRM.finditer(norm) if m.group() not in ("ok", "okay", "bueno", "vale")]
    if strong and not _ONLY_YES_AROUND.sub(" ", lx.CONFIRM.sub(" ", norm)).strip(" ,"):
        return _Verdict("confirm", HIGH, "only ways to say yes")  # "con eso cerramos, adelante"
    if (_PAYS_BY.search(norm) and find_date(norm, today=today) is None  # "sale, te pago con el link": yes, and how
            and not _WHERE_TO.search(norm)):  # "si lo pago por transferencia, ¿a qué cuenta?"
        return _Verdict("confirm", HIGH, "says how the order will be paid")
    last = norm.rsplit(" , ", 1)[-1].strip()
    if (" , " in norm and lx.CONFIRM.fullmatch(last) and last not in ("ok", "okay", "bueno", "vale", "si")
            and _quantity(norm) is None and not lx.CANCEL.search(norm)
            and (not _has_product(norm) or (last in _SURE_YES and not _CHANGE_CUES.search(norm)))):
        # "ok, ya los tienen en el sistema creo. confirmo", "y las bombas sí, confirmo"
        return _Verdict("confirm", HIGH, "a yes said last")
    if (lx.CONFIRM_WORD.search(norm) and lx.TOPICS["payment_link"].search(norm)
            and not _says_no(norm)):
        return _Verdict("confirm", HIGH, "a yes, and the link to pay it")  # "sí lo confirmo, mándame la liga"
    new = _new_request(norm, today)
    if new is not None:
        return new
    if lx.KEEP.search(norm):
        if lx.CONFIRM_WORD.search(norm) and not _says_no(norm):
            return _Verdict("confirm", HIGH, "keeps the draft as it is, and says yes")  # "déjalo así, confirmo"
        return _Verdict("general_question", HIGH, "keeps the draft as it is")
    if lx.HUMAN.search(norm) or lx.COMPLAINT.search(norm):
        return _Verdict("general_question", HIGH, "a person or a complaint, not a no")  # "no le entiendo, pásame a…"
    selection = _selection(norm)
    if (selection is not None and selection.hint and lx.CANCEL_START.search(norm) and not lx.CANCEL.search(norm)
            and _OTHER_ONE.search(norm)):
        return _Verdict("select_option", MEDIUM, "not that one, the other: a pick")  # "esa no, la otra, la económica"
    if lx.CANCEL.search(norm) or ((start := lx.CANCEL_START.search(norm)) and not _corrects(norm[start.end():])):
        return _Verdict("cancel", SURE if short else HIGH, "refusal while awaiting confirmation")
    if _THANKS_ONLY.fullmatch(norm):
        # "gracias 👍", "ok gracias": thanks for the quote; an order is made on a clearer yes, so ask again
        return _Verdict("general_question", HIGH, "thanks while awaiting confirmation")
    if _quantity(norm) is not None and _OF_THOSE.search(norm):
        return _Verdict("create_order", HIGH, "a count of the product just quoted")  # "ok 25 de esos"
    if _EACH_COUNTED.search(norm):  # "ok I'll take one of each", "va, 10 de cada uno": every line that many
        return _Verdict("modify_order", HIGH, "a count for each line while awaiting confirmation")
    if _quantity(norm) is not None and (split_comparative(norm)[1] or (selection is not None and selection.strong)):
        # "va la más barata, 4 piezas" of the lines quoted: that one, that many; no yes to the draft as it is
        return _Verdict("select_option", MEDIUM, "a count of one line picked while awaiting confirmation")
    if _says_yes(norm) and not short and any(ln.quantity and ln.product for ln in extract_lines(norm)):
        # "ok, 4 kits de accesorios pa tinaco": more for the draft, no yes to it as it is
        return _Verdict("create_order", HIGH, "a yes and more lines while awaiting confirmation")
    if (short and lx.CONFIRM.search(norm)) or _says_yes(norm):
        return _Verdict("confirm", SURE if short else HIGH, "agreement while awaiting confirmation")
    if selection is not None and selection.strong and not lx.PRICE.search(norm):
        # ("k precio el de diamante" asks what that one costs: the draft stays as it is)
        return _Verdict("select_option", MEDIUM, "picked another option while awaiting confirmation")
    return None


# After a "no", what corrects the draft rather than refuses it: "no, los coples 50", "nel, mejor el otro".
_CORRECTION_CUES = frozenset({"mejor", "otro", "otra", "otros", "otras", "sean", "eran", "era", "son", "solo", "nomas",
                              "instead", "rather", "other"})


def _corrects(rest: str) -> bool:
    words = rest.replace(",", " ").split()
    return bool(set(words) & _CORRECTION_CUES or _quantity(rest) is not None or _has_product(rest))


_OF_THOSE = re.compile(r"\b(?:de|of) (?:esos|esas|ese|esa|estos|estas|este|esta|those|them|these|that one)\b")
_ASKS_THE_TOTAL = "asks the draft's total"
_HOW_MUCH_IN_ALL = re.compile(r"^(?:(?:y|ok|entonces|pues|oye)\s+,?\s*)*(?:en |a )?(?:cuanto|que tanto)"
                              r"(?: (?:va|van|seria|serian|sale|salen|queda|quedaria|es|son|me sale|me queda))?"
                              r"(?: (?:todo|en total|el total|por todo|todo junto|con iva))?$"
                              r"|\b(?:how much (?:is it|in total|altogether|all together)|what'?s the total)\b")
_SURE_YES = frozenset({"confirmo", "confirmado", "confirmamos", "adelante", "dale", "procede", "go ahead"})
_CONFIRMS_AS_IS = re.compile(r"^(?:(?:si|va|ok|okay|sale|dale)\s+,?\s*)*(?:te )?(?:confirmo|confirmamos|confirmado)\b")
_CHANGE_CUES = re.compile(r"\b(?:pero|mejor|sean|sea|cambia\w*|quita\w*|agrega\w*|solo|nomas|no|sin|mas|otro|otra)\b")
_EACH_COUNTED = re.compile(rf"(?:^|(?<=\s))(?:{lx._COUNT}|a|an) (?:de cada (?:uno|una)|de c/u|c/u|of each(?: one)?)\b")
_THE_ORDER = re.compile(r"\b(?:el|mi|ese|the|my) (?:pedido|orden|order)\b")
_THANKS_ONLY = re.compile(r"(?:(?:ok|okay|muchas|mil|gracias|thanks|thank you|,)\s*)*(?:gracias|thanks|thank you)"
                          r"(?:\s*(?:ok|okay|,))*")




def _says_yes(norm: str) -> bool:
    """A yes opens the message ("va, confirmado", "pues sí"); "y si paso a recogerlos" is an "if"."""
    match = lx.CONFIRM.search(norm)
    if match is not None and match.group() == "si" and norm[match.end():].split()[:1] and \
            norm[match.end():].split()[0] in _IF_FOLLOWS:
        return False  # "si pido hoy…", "si me lo mandan…": an "if"
    return match is not None and all(w in _CONFIRM_LEADS or lx.CONFIRM.fullmatch(w)
                                     for w in norm[:match.start()].split())


_OTHER_ONE = re.compile(r"\b(?:(?:ese|esa|eso|el|la) no|(?:el|la) otr[oa])\b")
_IF_FOLLOWS = frozenset({"pido", "paso", "pasamos", "hago", "compro", "ordeno", "me", "les", "le", "te", "se", "lo",
                         "la", "los", "las", "quiero", "necesito", "tienen", "hay", "puedes", "pueden", "llega",
                         "llegan"})
_CONFIRM_LEADS = frozenset({"pues", "entonces", "bueno", "ah", "ok", "oye", "este", "mmm", "ahh", "ya", ",", "ahora",
                            "cool", "great", "fine", "good", "perfect", "all", "right", "ahorita", "andale", "orale",
                            "pedido", "super", "excelente", "muy", "bien", "okay", "es", "seria", "eso", "todo",
                            "nada", "mas"})


def _answer_to_options(norm: str, today: date) -> _Verdict | None:
    """A pick among the options shown, "ninguno", or a clearly new request."""
    if lx.NONE_OF_THESE.search(norm):
        return _Verdict("cancel", HIGH, "none of the options shown")
    for rule in _MONEY_RULES:  # "ya pague la de septiembre" names no option
        if (verdict := rule(norm, today)) is not None:
            return verdict
    selection = _selection(norm)
    if selection is not None and selection.strong:
        return _Verdict("select_option", SURE if len(norm.split()) <= 4 else HIGH, "picked an option shown")
    new = _new_request(norm, today)
    if new is not None:
        return new
    if (listed := _listed_lines(norm, today)) is not None and listed.confidence >= HIGH:
        return listed  # "ok apártame 3 del 10 y 5 del 14": an order of several, not a yes to one option
    if (lines := extract_lines(norm)) and all(ln.quantity and noun_of(ln.product) for ln in lines):
        # "conector rosca hembra 3/4 x4" while elbows are asked about: a line of its own (one of the same kind
        # as the options, "tees de 3/4 x10", still picks among them in the draft)
        return _Verdict("create_order", MEDIUM, "a counted product while options are shown")
    if (_quantity(norm) is not None and (size_of(norm) or attributes_of(norm)) and len(norm.split()) <= 12
            and not any(p.search(norm) for p in lx.CHANGE_QUANTITY)):  # "va, mejor 50 de 45 pvc": read as an edit
        return _Verdict("select_option", MEDIUM, "a count and the details that pick an option: '40 of the pvc 45s'")
    if _says_no(norm):
        return _Verdict("cancel", HIGH, "refusal while options are shown")
    if _says_yes(norm):  # "bueno sí, se lo confirmo" to the one option shown
        return _Verdict("confirm", MEDIUM, "agreement while options are shown")
    if selection is not None:
        return _Verdict("select_option", MEDIUM, "named an option by a short attribute")
    words = len(norm.split())
    if re.match(r"(?:de|del|en) \S", norm) and words <= 7 and _quantity(norm) is None:
        return _Verdict("select_option", MEDIUM, "a detail while options are shown: 'de 62, gas natural'")
    if re.match(r"(?:el|la|los|las|the) \S", norm) and words <= 8 and _quantity(norm) is None:
        return _Verdict("select_option", MEDIUM, "the option named with its details: 'el martillo con mango de fibra'")
    if (words <= 4 or (words <= 7 and _quantity(norm) is None and (size_of(norm) or attributes_of(norm)))) \
            and not (lx.CONFIRM.fullmatch(norm) or lx.ACK.fullmatch(norm)):
        # "los codos de 90 pvc": the product again, with the details that pick one option
        return _Verdict("select_option", MEDIUM, "a few words while options are shown: an attribute")
    return None


def _paid(norm: str, today: date) -> _Verdict | None:
    if (when := find_promised_date(norm, today=today)) is not None and when > today:
        return None  # "mañana les realizamos el depósito": "realizamos" is a present for the future too
    if match := lx.PAID.search(norm):
        return _Verdict("payment_status", HIGH, f"payment already made ('{match.group()}')")
    return None


def _bank_info(norm: str, today: date) -> _Verdict | None:
    if (promised := _promise(norm, today)) is not None and promised.confidence == SURE:
        return None  # "te la deposito el martes, pásame la clabe": the promise leads, the question follows
    if lx.ACCOUNT.search(norm):
        return None  # "¿cuánto debo? y pásame la clabe": the statement leads, the bank details follow
    if match := lx.BANK_INFO.search(norm):
        return _Verdict("general_question", HIGH, f"asks where to pay ('{match.group()}')")
    return None


def _promise(norm: str, today: date) -> _Verdict | None:
    verb = lx.PROMISE_VERB.search(norm)
    when = find_date(norm, today=today)
    if verb and when:
        return _Verdict("promise_to_pay", SURE, f"will pay ('{verb.group()}') on a date")
    if verb:
        return _Verdict("promise_to_pay", MEDIUM, f"will pay ('{verb.group()}'), no date given")
    if when and (bare := lx.PROMISE_BARE.search(norm)):
        return _Verdict("promise_to_pay", HIGH, f"'{bare.group()}' with a date")
    return None


def _account(norm: str, today: date) -> _Verdict | None:
    if match := lx.ACCOUNT.search(norm):
        return _Verdict("account_statement", HIGH, f"asks what is owed ('{match.group()}')")
    return None


# "me cotiza y me aparta cuatro cisternas": asked to set aside or send, the quote is the order's
_RESERVE = re.compile(r"(?:^|(?<=\s))(?:me |nos )?(?:aparta|apartame|apartenme|apartalos|separa|separame|manda|mandame|"
                      r"mandenme|envia|enviame|surte|surteme|surtanme|encargo|le encargo|te encargo)(?=\s)")


def _price(norm: str, today: date) -> _Verdict | None:
    if match := lx.PRICE.search(norm):
        if _RESERVE.search(norm) and _quantity(norm) is not None and _has_product(norm):
            return None
        if _has_product(norm):
            return _Verdict("check_price", SURE, f"price question ('{match.group()}') about a product")
        return _Verdict("check_price", MEDIUM, f"price question ('{match.group()}'), no product named")
    return None


def _listed_lines(norm: str, today: date) -> _Verdict | None:
    counted = [line for line in extract_lines(norm) if line.quantity is not None]
    if len(counted) >= 2:
        return _Verdict("create_order", HIGH, f"{len(counted)} counted products listed")
    if counted and counted[0].unit and counted[0].product:
        return _Verdict("create_order", MEDIUM, "a count in a unit of something: '12 cubetas de vinílica'")
    return None


_LEADING_TALK = re.compile(r"^(?:(?:ah|oh|bueno|entonces|pues|oye|oiga|mira|mire|ok|va|sale|este|eh|ahh|de acuerdo|"
                           r"perfecto|muy bien|listo|excelente|gracias|en ese caso)\s+,?\s*)+")


def _strong_order(norm: str, today: date) -> _Verdict | None:
    verb = lx.ORDER_VERB.search(norm)
    if verb and _quantity(norm) is not None and (_has_product(norm) or _has_count_unit(norm)):
        return _Verdict("create_order", SURE, f"order verb ('{verb.group()}') with quantity and product")
    # the verb counts as one word: "i will take 2 of the 10 year" is as short as "mándame 2 de los de 10 años"
    talk = len(_LEADING_TALK.sub("", norm).replace(",", " ").split()) - (len(verb.group().split()) - 1 if verb else 0)
    if verb and talk <= 7 and (_quantity(norm) is not None or lx.TAKE_IT.search(norm) or lx.ONE_LEFT.search(norm)
                               or lx.OPTION_BY_ATTRIBUTE.search(norm)
                               or any(ln.quantity for ln in extract_lines(norm))):
        return _Verdict("create_order", MEDIUM, f"order verb ('{verb.group()}'), the product said before")
    return None


_BARE_QUANTITY = re.compile(r"^(?:(?:ok|okay|va|sale|si|pues|dame|mandame|entonces|ponme|ponle|agregale|agrega|"
                            r"sumale|y|otros|otras|x|por)\s+,?\s*)*(?P<q>\d{1,5}(?: (?:docenas?|dozen|pares|pairs))?|"
                            r"(?:media|una|a|half a) (?:docena|dozen)|un par|a couple|a pair)"
                            r"(?:\s+,?\s*(?:please|porfavor|gracias|thanks|piezas|pzas|pieces|tramos|rollos|de esos|"
                            r"de esas|mas|more))*$")


def _bare_quantity(norm: str, today: date) -> _Verdict | None:
    """"ok, 4 please" after a product was quoted or its stock given: that many of it."""
    if (m := _BARE_QUANTITY.match(norm)) and not (norm.startswith(("y ", "and "))
                                                  and not 12 < (_quantity(m["q"]) or 0) < 400):
        # ("¿y 1?", "¿y 2500?" ask about another size or capacity of it)
        return _Verdict("create_order", MEDIUM, "a bare quantity: of the product just talked about")
    return None


def _search_named(norm: str, today: date) -> _Verdict | None:
    """"¿hay calentador solar? ¿cuánto tarda si no?": the product asked for leads the service question."""
    verdict = _search(norm, today)
    return verdict if verdict is not None and verdict.confidence >= HIGH and _has_product(norm) else None


def _general(norm: str, today: date) -> _Verdict | None:
    if match := lx.GENERAL.search(norm):
        return _Verdict("general_question", HIGH, f"service question ('{match.group()}')")
    return None


def _search(norm: str, today: date) -> _Verdict | None:
    if match := lx.SEARCH.search(norm):
        # "¿hasta qué hora tienen abierto?" asks for no product: the service words are not one
        if _has_product(norm) or (_product_query(norm, strip_count=False)
                                   and not any(p.search(norm) for p in (lx.GENERAL, *lx.TOPICS.values()))):
            return _Verdict("search_product", HIGH, f"asks for stock ('{match.group()}')")
        return _Verdict("search_product", MEDIUM, f"asks for stock ('{match.group()}'), no product named")
    return None


_ANOTHER_SIZE = re.compile(r"^(?:y |tambien |and )?(?:otros |otras |otro |otra )?\d{1,5} (?:de|del|of) "
                           r"(?:\d{1,4}(?: \d/\d)?|(?:las |los |la |el |the )?(?:otr[oa]s?|other(?: ones?)?))"
                           r"(?: (?:tambien|tmb|igual|too|also))?$")


def _weak_order(norm: str, today: date) -> _Verdict | None:
    verb = lx.ORDER_VERB.search(norm)
    if verb and _has_product(norm):
        return _Verdict("create_order", MEDIUM, f"order verb ('{verb.group()}') and a product, no quantity")
    if _quantity(norm) is not None and _has_product(norm):
        return _Verdict("create_order", MEDIUM - 0.05, "a quantity of a product, no verb")
    if _ANOTHER_SIZE.match(norm):
        return _Verdict("create_order", MEDIUM - 0.05, "a count of another size or option: 'y 2 de 24'")
    return None


def _product_alone(norm: str, today: date) -> _Verdict | None:
    if not _names_goods(norm):
        return None
    if re.search(r"\bcuanto\b", norm):
        return _Verdict("check_price", WEAK + 0.08, "'cuanto' about a product")
    return _Verdict("search_product", WEAK, "names a product, nothing else")


def _pleasantry(norm: str, today: date) -> _Verdict | None:
    if match := lx.GREETING.search(norm) or lx.THANKS.search(norm):
        return _Verdict("general_question", HIGH, f"greeting or thanks ('{match.group()}')")
    return None


def _stray_flow_answer(norm: str, today: date) -> _Verdict | None:
    """"sí", "no", "el primero" with no open flow: nothing to answer, so ask."""
    if lx.CONFIRM.search(norm) or lx.CANCEL_START.search(norm) or _selection(norm) is not None:
        return _Verdict("general_question", GUESS, "a flow answer with no open flow")
    return None


_Rule = Callable[[str, date], _Verdict | None]
# The order is the policy: a payment already made beats a promise, a promise beats the statement
# ("el viernes les deposito lo que debo"), a price beats an order ("cuanto me sale si me llevo 100"),
# an order with a quantity beats delivery words ("can you deliver tmrw?").
_OPEN_RULES: tuple[_Rule, ...] = (
    _paid, _bank_info, _promise, _account, _price, _strong_order, _listed_lines, _bare_quantity, _search_named,
    _general, _search,
    _weak_order,
    _product_alone, _pleasantry, _stray_flow_answer,
)
# Payments and statements never read as a pick, even when they say "la de septiembre".
_MONEY_RULES: tuple[_Rule, ...] = (_paid, _bank_info, _promise, _account)
# Inside a flow only these count as a clear new request; a general question does not end a flow.
_NEW_REQUEST_RULES: tuple[_Rule, ...] = (_paid, _bank_info, _promise, _account, _price, _strong_order, _search)


def _open_request(norm: str, context: FlowContext, today: date) -> _Verdict:
    for rule in _OPEN_RULES:
        if rule is _stray_flow_answer and context != "none":
            continue
        verdict = rule(norm, today)
        if verdict is not None:
            return verdict
    return _Verdict("general_question", UNKNOWN, "no rule matched")


def _new_request(norm: str, today: date) -> _Verdict | None:
    for rule in _NEW_REQUEST_RULES:
        verdict = rule(norm, today)
        if verdict is None:
            continue
        if rule is _price and verdict.confidence < SURE:
            continue  # "¿y el precio?" inside a flow is about the flow, not a new request
        if rule is _search and verdict.confidence < HIGH:
            continue
        return verdict
    return None


# Every reader module is loaded now: build the typo vocabulary here, at import, so no turn pays for it.
spelling.vocabulary()
