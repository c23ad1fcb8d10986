"""The rules reader's acts: several lines in one message, edits, choices, questions, hand-offs, language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from graph.understanding import Reading, read_by_rules
from graph.understanding.lines import like_the_others

TODAY = date(2026, 11, 25)


def read(text: str, context: str = "none") -> Reading:
    return read_by_rules(text, context=context, today=TODAY)  # type: ignore[arg-type]


def edit_of(text: str) -> tuple[str, str | None, int | None]:
    """The first act of a message read against a draft awaiting confirmation: its kind, target and quantity."""
    act = read(text, "awaiting_confirmation").acts[0]
    return act.kind, act.target, act.quantity


def lines_of(reading: Reading) -> list[tuple[int | None, str]]:
    return [(ln.quantity, ln.product) for act in reading.acts for ln in act.lines]


def test_several_products_in_one_message_are_several_lines() -> None:
    reading = read("mándame 15 coples de 3/4, 8 tees de 3/4 y 4 tubos de 3/4")
    assert reading.intent == "create_order"
    assert [(q, size) for act in reading.acts for q, size in ((ln.quantity, ln.size) for ln in act.lines)] == [
        (15, "3/4"), (8, "3/4"), (4, "3/4")]
    assert [ln.product.split()[0] for ln in reading.acts[0].lines] == ["coples", "tees", "tubos"]


def test_a_line_without_its_noun_takes_the_one_before() -> None:
    reading = read("ocupo 15 codos de 3/4 pvc y 10 de 1/2")
    assert lines_of(reading) == [(15, "codos de 3/4 pvc"), (10, "codos de pvc de 1/2")]  # the material too
    assert lines_of(read("4 llaves stilson de 18, 4 de 24")) == [(4, "llaves stilson de 18"), (4, "llaves stilson 24")]


def test_a_voice_note_run_on_keeps_the_products_and_the_invoice_question() -> None:
    reading = read("mire le escribo de la constructora del ingeniero ramos necesitamos para el lunes 20 tubos de "
                   "1/2 pvc, 30 codos de 1/2 y tambien 10 tees, y me manda factura porfa")
    assert [q for q, _ in lines_of(reading)] == [20, 30, 10]
    assert "constructora" not in " ".join(p for _, p in lines_of(reading))
    assert [a.topic for a in reading.acts if a.kind == "question"] == ["invoice"]


def test_a_size_said_in_words_is_not_two_items() -> None:
    reading = read("necesito 6 tubos de 1 y 1/2")
    assert [q for q, _ in lines_of(reading)] == [6]


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("mejor que sean 30", "change_quantity", None, 30),
    ("de los coples ponle 20", "change_quantity", "coples", 20),
    ("no!! eran 10 tees", "change_quantity", "tees", 10),
    ("quítale las tees", "remove", "tees", None),
    ("ya no quiero los codos", "remove", "codos", None),
])
def test_edits_of_the_open_draft(text: str, kind: str, target: str | None, quantity: int | None) -> None:
    reading = read(text, "awaiting_confirmation")
    assert reading.intent == "modify_order"
    act = reading.acts[0]
    assert (act.kind, act.target, act.quantity) == (kind, target, quantity)


def test_no_with_a_correction_is_not_a_cancellation() -> None:
    assert read("no!! eran 10 tees", "awaiting_confirmation").intent != "cancel"
    assert read("no", "awaiting_confirmation").intent == "cancel"


def test_an_addition_names_its_lines() -> None:
    reading = read("agrégale 10 codos de 1/2 pvc", "awaiting_confirmation")
    assert (reading.acts[0].kind, lines_of(reading)) == ("add", [(10, "codos de 1/2 pvc")])


def test_a_replacement_names_the_old_line_and_the_new_words() -> None:
    act = read("cambia el de cobre por uno de pvc", "awaiting_confirmation").acts[0]
    assert (act.kind, act.target, act.lines[0].attributes) == ("replace", "cobre", ["pvc"])


@pytest.mark.parametrize(("text", "backorder"), [
    ("mándame los que tengas", False), ("si, y el resto cuando llegue", True), ("va", True),
])
def test_answers_to_a_stock_offer(text: str, backorder: bool) -> None:
    act = read(text, "stock_offer").acts[0]
    assert (act.kind, act.backorder) == ("stock_answer", backorder)


@pytest.mark.parametrize(("text", "topic"), [
    ("a qué hora cierran?", "hours"), ("cuando me llega mi pedido?", "order_status"),
    ("me pasas los datos para transferencia?", "payment_methods"), ("cuál es su dirección", "address"),
    ("cuanto cobran de envio?", "delivery"), ("me pueden facturar?", "invoice"),
    ("cuantos tienen de tubo pvc de 3/4?", "stock"), ("a como el codo de 1/2?", "price"),
])
def test_questions_name_their_topic(text: str, topic: str) -> None:
    assert [a.topic for a in read(text).acts if a.kind == "question"] == [topic]


def test_a_question_in_the_middle_of_a_draft_keeps_the_answer_too() -> None:
    reading = read("si pero a que hora cierran", "awaiting_confirmation")
    assert [a.kind for a in reading.acts] == ["confirm", "question"]


def test_a_follow_up_changes_one_detail() -> None:
    act = read("¿y el de 3/4?").acts[0]
    assert (act.kind, act.topic, act.lines[0].size) == ("question", None, "3/4")


@pytest.mark.parametrize(("text", "kind"), [
    ("quiero hablar con alguien", "human"), ("me llegaron rotos los codos", "complaint"),
    ("gracias", "thanks"), ("ok", "ack"), ("👍", "ack"), ("hola buenas tardes", "greeting"),
])
def test_hand_offs_and_small_talk(text: str, kind: str) -> None:
    reading = read(text)
    assert [a.kind for a in reading.acts] == [kind]
    assert reading.confidence >= 0.85


@pytest.mark.parametrize(("text", "language"), [
    ("I need 10 copper elbows 1/2 and 5 pvc pipes", "en"), ("necesito 10 codos de cobre", "es"),
    ("10", None), ("ok", None),
])
def test_language(text: str, language: str | None) -> None:
    assert read(text).language == language


@pytest.mark.parametrize(("text", "lines"), [
    ("I need 10 copper elbows 1/2", [(10, "codos cobre 1/2")]),
    # the noun English says last comes first, as in the catalog; a room is what it is for, no line
    ("redoing the guest bathroom. can I get 4 male metal thread connectors", [(4, "conectores macho metal rosca")]),
    ("need a dozen hacksaw blades and 2 round 8 inch shower heads", [(12, "segueta"), (2, 'regadera redonda 8"')]),
    ("40 white 1 gang plates", [(40, "placas blanco 1 ventana")]),
])
def test_english_product_words_are_searched_as_the_catalog_writes_them(text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "counts"), [
    # lists written without commas, the way a voice note is transcribed
    ("ponme 2 llaves stilson de 18 2 stilson de 24 1 tarraja y 20 discos de corte de 4 1/2", [2, 2, 1, 20]),
    ("me mandas 30 tees de 1 2 valvulas check de 1 y 10 pichanchas de 1", [30, 2, 10]),
    ("hola me manda 10 rollos de teflon 5 cementos pvc de 125 y 3 limpiadores pa pvc", [10, 5, 3]),
    ("veinte tramos de tubo CPVC de 3/4 cincuenta codos CPVC 3/4 de 90 treinta tees CPVC de 3/4", [20, 50, 30]),
    ("una docena de tapones pvc 3/4 media docena de tees pvc 1 y un par de valvulas de esfera pvc de 1", [12, 6, 2]),
    ("3 rollos de cable thw calibre 12 de 100 m no espera q sean 4 2 rollos del thw calibre 10", [4, 2]),
])
def test_a_list_without_commas_is_cut_at_each_count(text: str, counts: list[int]) -> None:
    assert [q for q, _ in lines_of(read(text))] == counts


def test_a_count_of_a_length_or_a_kind_takes_the_noun_of_the_line_before() -> None:
    reading = read("me mandan 10 mangueras reforzadas de 15 metros, 5 de 30 metros y 10 de jardin de 10 m")
    assert [p.split()[0] for _, p in lines_of(reading)] == ["mangueras", "mangueras", "mangueras"]
    assert "30 metros" in lines_of(reading)[1][1]


def test_a_heading_is_what_the_list_is_of_not_a_line() -> None:
    reading = read("necesito pintura, 2 cubetas de vinilica blanca comex de 19, 3 galones de la misma de 4 lts, "
                   "4 brochas de 3 pulgadas")
    assert lines_of(reading) == [(2, "vinilica blanca comex de 19"), (3, "vinilica blanca comex de 4 litros"),
                                 (4, 'brochas de 3"')]


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("y que los codos sean 50", "change_quantity", "codos", 50),
    ("no, de tornillo eran 6 cajas", "change_quantity", "tornillo", 6),
    ("siempre no quiero las pistolas", "remove", "pistolas", None),
    ("kitale los cdos porfa", "remove", "codos", None),
    ("actually, make it 15 gate valves", "change_quantity", "llave compuerta", 15),
])
def test_edits_said_other_ways(text: str, kind: str, target: str, quantity: int | None) -> None:
    assert edit_of(text) == (kind, target, quantity)


def test_a_yes_with_an_edit_keeps_the_yes() -> None:
    assert [a.kind for a in read("va sin los cepillos, mandalo asi", "awaiting_confirmation").acts] == [
        "remove", "confirm"]
    assert [a.kind for a in read("no, muy cara, dejalo asi como estaba", "awaiting_confirmation").acts] == ["ack"]


@pytest.mark.parametrize(("text", "expected"), [
    ("pasame 15 coples 3/4 pvc, tees pvc 3/4 x 8 y 4 tubos d pvc", [15, 8, 4]),  # "x 8" after the product
    ("tubo cobre tipo m 1/2 10 tramos, codos cobre 90 1/2 x 20 y tees cobre 1/2 otras 20", [10, 20, 20]),
    ("buen dia: sondas destapacaños 2, chupones 6, pistolas pa silicon 4", [2, 6, 4]),  # a plural, then how many
    ("tornillo hexagonal 3/8x3 4 cajas y tuerca 3/8 4 cajas", [4, 4]),  # 3/8x3 is a size by a size
    ("alambre recocido 20 kg y estopa 2 kilos", [20, 2]),
])
def test_a_count_said_after_the_product(text: str, expected: list[int]) -> None:
    assert [q for q, _ in lines_of(read(text))] == expected


def test_a_bare_number_after_a_fitting_is_its_size_unless_a_size_was_said() -> None:
    assert [(ln.quantity, ln.size) for ln in read("ocupo tubos 4").acts[0].lines] == [(None, None)]
    assert [(ln.quantity, ln.size) for ln in read("ocupo tuercas 3/8 4").acts[0].lines] == [(4, "3/8")]


@pytest.mark.parametrize(("text", "expected"), [
    ("me manda dos stilson de catorce y un par de stilson de dieciocho", [(2, "stilson de 14"), (2, "stilson de 18")]),
    ("deme seis tinacos rotoplas de mil cien", [(6, "tinacos rotoplas de 1100")]),
    ("treinta y cinco codos", [(35, "codos")]),
    ("cien codos de noventa pvc", [(100, "codos de 90 pvc")]),
])
def test_numbers_said_in_words_are_read_as_digits(text: str, expected: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == expected


def test_an_amount_said_in_words_stays_an_amount() -> None:
    act = read("el jueves les abono cinco mil").acts[0]
    assert act.promise_amount == 5000


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("bueno quíteme las de media", "remove", '1/2"', None),  # the polite imperative
    ("y los coples quíteselos por favor", "remove", "coples", None),  # the line named first
    ("siempre no, las pistolas no las kiero", "remove", "pistolas", None),
    ("sabes que mejor no los kits", "remove", "kits", None),
    ("codos mejor 50", "change_quantity", "codos", 50),  # the noun bare, no article
    ("no sabe qué mejor póngale cinco rollos", "change_quantity", "rollos", 5),
    ("tees mejor cpvc", "replace", "tees", None),
    ("todo ponlo de 1 pulgada mejor", "replace", "todo", None),  # every line
])
def test_edits_said_politely_or_tersely(text: str, kind: str, target: str, quantity: int | None) -> None:
    assert edit_of(text) == (kind, target, quantity)


def test_a_yes_next_to_keep_it_as_it_is_confirms_but_a_price_complaint_does_not() -> None:
    assert read("asi dejalo, confirmo", "awaiting_confirmation").acts[0].kind == "confirm"
    assert read("no no no sale muy cara mejor déjelo como estaba", "awaiting_confirmation").acts[0].kind == "ack"


def test_more_of_the_line_drafted_is_an_addition() -> None:
    act = read("ponle otras 10", "awaiting_confirmation").acts[0]
    assert (act.kind, [(ln.quantity, ln.product) for ln in act.lines]) == ("add", [(10, "")])


def test_the_product_again_with_its_details_picks_an_option() -> None:
    act = read("los codos de 90 pvc", "options_shown").acts[0]
    assert (act.kind, act.option_hint) == ("choose", "los codos de 90 pvc")
    assert read("las que son de un hp", "options_shown").acts[0].option_hint == "1 hp"


def test_a_kind_said_before_its_count() -> None:
    assert lines_of(read("ah bueno entonces del tipo M apárteme cinco")) == [(5, "tipo m")]


def test_a_product_asked_for_leads_a_service_question() -> None:
    kinds = [(a.kind, a.topic) for a in read("hay calentador solar rotoplas? cuanto tarda si no").acts]
    assert kinds == [("search", None), ("question", "delivery")]


def test_the_rest_on_order_is_a_backorder() -> None:
    act = read("ok las 3 que hay y las otras 2 sobre pedido", "stock_offer").acts
    assert [(a.kind, a.backorder) for a in act] == [("stock_answer", True)]


def test_a_voice_note_list_is_cut_at_each_article_before_goods() -> None:
    reading = read("buen día oiga fíjese que es para un baño ocupo una mezcladora monomando de lavabo un céspol de "
                   "lavabo un par de mangueras flexibles de lavabo un juego de herrajes y un cuello de cera")
    assert [q for q, _ in lines_of(reading)] == [1, 1, 2, 1, 1]
    assert lines_of(reading)[0] == (1, "mezcladora monomando de lavabo")  # "para un baño" is what it is for
    assert lines_of(read("póngame dos stilson de veinticuatro una tarraja")) == [(2, "stilson de 24"), (1, "tarraja")]
    assert lines_of(read("dos llaves stilson de catorce pulgadas")) == [(2, 'llaves stilson de 14"')]


@pytest.mark.parametrize(("text", "expected"), [
    ('Le solicito:\n- Tapón PVC 3/4" - 1 docena\n- Tee PVC 1" - media docena\n- Válvula de esfera PVC 1" - 1 par',
     [12, 6, 2]),
    ('Favor de surtir:\n• Cable THW cal. 12 - 2 rollos\n• Soldadura 50/50 - 2 carretes\n• Tinaco 1,100 L - Cant. 3',
     [2, 2, 3]),
    ("tuboplus 3/4: 30 tees y 30 coples", [30, 30]),
    # a comma inside a row is the item's detail; a count written twice counts once
    ('Requerimos:\n- Cable cal. 12, rollo 100 m - 2 rollos\n- Copl 3/4" - Cant. 20 (veinte)', [2, 20]),
])
def test_a_purchase_order_list(text: str, expected: list[int]) -> None:
    assert [q for q, _ in lines_of(read(text))] == expected


def test_a_heading_of_material_and_size_goes_to_each_line() -> None:
    assert lines_of(read("tuboplus 3/4: 30 tees y 30 coples")) == [(30, 'tees tuboplus 3/4"'),
                                                                   (30, 'coples tuboplus 3/4"')]
    assert lines_of(read("cable cal 12 rollo d 100m x2 y uno del 14"))[1][0] == 1  # "uno del 14": one more of it


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("no perdon, las tees de 3/4", "replace", "tees", None),  # a no that corrects a detail is no cancel
    ("las llaves siempre no, mejor ponme 5 mangueras", "remove", "llaves", None),
    ("siempre no, las pistolas nel", "remove", "pistolas", None),
    ("Favor de ajustar las válvulas a 6 pzas.", "change_quantity", "valvulas", 6),  # the office's infinitive
    ("Favor de retirar las de 1/2\".", "remove", '1/2"', None),
    ("Corrijo: favor de considerar 30 coples en lugar de 20.", "change_quantity", "coples", 30),
    ("nel espera, los codos hazlos 60", "change_quantity", "codos", 60),
    ("En los coples, favor de modificar la cantidad a 20 pzas.", "change_quantity", "coples", 20),
    ("Corrijo: mejor 40 pzas de cada uno.", "change_quantity", "cada uno", 40),  # every line
    ("Disculpe, las tees deben ser de 3/4\".", "replace", "tees", None),
])
def test_edits_said_as_corrections_or_from_an_office(text: str, kind: str, target: str, quantity: int | None) -> None:
    assert edit_of(text) == (kind, target, quantity)


@pytest.mark.parametrize(("text", "context", "kind"), [
    ("ándale sí queda confirmado", "awaiting_confirmation", "confirm"),
    ("Pedido confirmado, gracias.", "awaiting_confirmation", "confirm"),
    ("oye hoy hasta q hr tienen abierto?", "awaiting_confirmation", "question"),  # no product: no search
    ("oigan me la cobraron 2 veces, ya es burla esto", "none", "complaint"),
    ("ill send the transfer friday", "none", "promise_to_pay"),
    ("Mañana les realizamos un depósito por $50,000.", "none", "promise_to_pay"),  # a present for the future
    ("ya realizamos el pago", "none", "paid"),
    ("De acuerdo, le solicito el de 13.", "none", "order"),
])
def test_yes_questions_and_promises_said_other_ways(text: str, context: str, kind: str) -> None:
    assert read(text, context).acts[0].kind == kind


def test_english_counts_sizes_and_words() -> None:
    assert read("2 peripheral pumps 1hp pls").language == "en"
    assert lines_of(read("send me one hammer drill and a couple of stilson wrenches fourteen inch")) == [
        (1, "rotomartillo"), (2, 'stilson 14"')]
    act = read("the ninety degree ones", "options_shown").acts[0]
    assert (act.option_index, act.option_hint) == (None, "90")  # an angle, not the 90th option
    assert read("The lower-priced option, please.", "options_shown").acts[0].option_hint == "lower priced option"


def test_a_stock_question_keeps_what_follows_its_verb() -> None:
    act = read("cuántas cisternas tienen de las de cinco mil litros").acts[0]
    assert (act.topic, act.lines[0].product) == ("stock", "cisternas de 5000 litros")
    assert lines_of(read("los 6 apartamelos")) == [(6, "")]
    assert lines_of(read("apárteme uno")) == [(1, "")]


def test_english_product_phrases_are_not_corrected_into_other_words() -> None:
    act = read("I'd like two rotoplas pressure pumps half hp and one hydropneumatic tank twenty four liters").acts[0]
    assert [(ln.quantity, ln.product) for ln in act.lines] == [(2, "rotoplas bomba presurizadora 1/2 hp"),
                                                             (1, "tanque hidroneumatico 24 litros")]


def test_edits_while_options_are_shown_stay_edits_and_a_count_of_details_is_a_pick() -> None:
    assert [(a.kind, a.target) for a in read("este quítele las de nariz por favor", "options_shown").acts] == [
        ("remove", "nariz")]
    assert read("las tees tmb de cobre", "options_shown").acts[0].kind == "replace"
    act = read("ps va, mejor 50 d 45° pvc d 1", "options_shown").acts[0]
    assert (act.kind, act.option_hint, act.quantity) == ("choose", "45 pvc de 1", 50)


def test_a_size_and_a_count_after_a_line_are_that_product_in_another_size() -> None:
    lines = [ln for act in read("q onda, llaves de paso 1/2 x3, de 3/4 x2 y angulares x5").acts for ln in act.lines]
    assert [(ln.quantity, ln.size) for ln in lines] == [(3, "1/2"), (2, "3/4"), (5, None)]
    assert lines[2].product == "llaves angulares"  # the adjective alone takes the noun of the line before


@pytest.mark.parametrize(("text", "expected"), [
    ("pvc 1/2: cpl 20, cod 90 x20, tramos 10",
     [(20, 'cople pvc 1/2"'), (20, 'codo 90 pvc 1/2"'), (10, 'tubo pvc 1/2"')]),
    ("tuboplus 3/4 tees 30 coples 30", [(30, 'tees tuboplus 3/4"'), (30, 'coples tuboplus 3/4"')]),
    ("cisternas 2800 x8 y 5000 x3", [(8, "cisternas 2800"), (3, "cisternas 5000")]),
    ("10 tees pvc de 1/2.. no, de 3/4 mejor, y 6 tubos pvc de 3/4", [(10, "tees pvc de 3/4"), (6, "tubos pvc de 3/4")]),
    ("apuntale 4 tinacos.. no no tinacos no, 4 flotadores de 1/2", [(4, "flotadores de 1/2")]),
])
def test_a_shop_owners_terse_list(text: str, expected: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == expected


def test_one_change_said_for_two_lines_and_a_weak_ok_next_to_an_edit() -> None:
    acts = read("mejor que sean 30 codos y 15 niples", "awaiting_confirmation").acts
    assert [(a.kind, a.target, a.quantity) for a in acts] == [("change_quantity", "codos", 30),
                                                              ("change_quantity", "niples", 15)]
    kinds = [a.kind for a in read("ok entonces nomas una bomba, los 2 electroniveles si", "awaiting_confirmation").acts]
    assert kinds == ["change_quantity"]  # the "ok" takes the change in, it confirms nothing yet


def test_an_if_is_no_yes_and_only_what_is_in_stock_is_only_that() -> None:
    acts = read("si pido unos 2 mil de material me cobran el envio? y cuando llega?", "awaiting_confirmation").acts
    assert [(a.kind, a.topic) for a in acts] == [("question", "delivery")]
    act = read("ok solo los 5 tubos, lo demas si completo", "stock_offer").acts[0]
    assert (act.kind, act.backorder) == ("stock_answer", False)


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("mejor cpl 30", "change_quantity", "cople", 30),  # the line named, then its count
    ("make tees 40", "change_quantity", "tees", 40),
    ("siempre no pistolas", "remove", "pistolas", None),
    ("no mejor mangueras de 30m", "replace", "mangueras", None),  # a no that corrects is no cancel
    ("no, el codo no, el otro, el de 45", "replace", "codo", None),
    ("el boiler mejor nomas 2", "change_quantity", "calentador", 2),
])
def test_edits_a_shop_owner_writes(text: str, kind: str, target: str, quantity: int | None) -> None:
    assert edit_of(text) == (kind, target, quantity)


def test_not_that_one_picks_another_and_a_person_asked_for_is_no_cancel() -> None:
    act = read("no perdon esa no, la otra, la economica", "awaiting_confirmation").acts[0]
    assert (act.kind, act.option_hint) == ("choose", "economica")
    assert [a.kind for a in read("no le entiendo al bot pasame a una persona", "awaiting_confirmation").acts] == [
        "human"]


def test_an_order_then_a_complaint_keeps_both() -> None:
    acts = read("quiero 20 coples galvanizados de 1/2, y por cierto el pedido pasado me llego incompleto, "
                "faltaron 2 niples").acts
    assert [a.kind for a in acts] == ["order", "complaint"]
    assert [(ln.quantity, ln.product) for ln in acts[0].lines] == [(20, "coples galvanizados de 1/2")]


def test_a_price_for_more_of_what_was_quoted() -> None:
    act = read("y si llevo 20?").acts[0]
    assert (act.topic, [(ln.quantity, ln.product) for ln in act.lines]) == ("price", [(20, "")])


def test_the_product_said_first_after_de_then_how_many() -> None:
    reading = read("de contactos gfci ocupo diez y de apagadores de escalera unos veinte")
    assert lines_of(reading) == [(10, "contactos gfci"), (20, "apagadores de escalera")]
    said = read("de los centros de carga de dos polos me mandas cuatro de interruptores termomagneticos de veinte "
                "amperes son doce")
    assert [q for q, _ in lines_of(said)] == [4, 12]
    assert lines_of(read("de la obra de cumbres necesito 10 tubos pvc de 1")) == [(10, "tubos pvc de 1")]
    assert lines_of(read("ocupo manguera de media de treinta metros de esa son cuatro rollos y abrazaderas sin fin "
                         "un par de docenas")) == [(4, 'manguera de 1/2" de 30 metros'), (24, "abrazaderas sin fin")]


def test_the_same_as_the_line_before_in_another_detail() -> None:
    assert lines_of(read("mandame 4 valvulas check de bronce de 1/2 y lo mismo de 1")) == [
        (4, "valvulas check de bronce de 1/2"), (4, 'valvulas check de bronce de 1"')]
    assert lines_of(read("ocupo 2 cubetas de vinilica de 19 lts y 3 botes de 4 litros de la misma"))[1] == (
        3, "vinilica 4 litros")
    # "la misma razón social" names no goods: nothing is copied
    assert len(lines_of(read("mandame 10 tapones pvc de 1 y facturalo a nombre de la misma razon social"))) == 1
    again = read("y de esos mismos pero de 1, 10 de cada uno", "awaiting_confirmation")
    assert [(a.kind, a.target, lines_of(Reading(acts=[a], language=None, confidence=1))) for a in again.acts] == [
        ("add", "todo", [(10, "de 1")])]
    assert again.confidence >= 0.85


@pytest.mark.parametrize(("text", "kinds"), [
    ("las tees hazlas 20 de 3/4 y 20 de 1/2", [("replace", "tees", 20, "3/4"), ("add", None, 20, "1/2")]),
    ("mejor hazlos 20 de 3/4 y 20 de 1/2", [("replace", None, 20, "3/4"), ("add", None, 20, "1/2")]),
    ("perdon, las de esfera de 1 no de 1/2", [("replace", "esfera", None, None)]),
    ("los de desbaste cambialos x los de diamante y los de corte subelos a 10",
     [("replace", "desbaste", None, None), ("change_quantity", "corte", None, None)]),
    ("ah no perdon de los hembra que sean treinta bueno no mejor cuarenta",
     [("change_quantity", "hembra", None, None)]),
])
def test_a_line_split_in_two_sizes_and_corrections_said_on_the_way(
        text: str, kinds: list[tuple[str, str | None, int | None, str | None]]) -> None:
    acts = read(text, "awaiting_confirmation").acts
    assert [(a.kind, a.target, (a.lines[0].quantity if a.lines else None), (a.lines[0].size if a.lines else None))
            for a in acts] == kinds
    if acts[0].kind == "change_quantity":
        assert acts[0].quantity == 40  # the count said instead


def test_thanks_is_no_yes_and_a_promise_takes_the_date_and_amount_said_for_it() -> None:
    assert read("gracias 👍", "awaiting_confirmation").acts[0].kind == "thanks"
    assert read("si gracias", "awaiting_confirmation").acts[0].kind == "confirm"
    promise = read("ahorita andamos cortos porque no nos han pagado una obra pero el lunes le deposito quince mil")
    assert (promise.acts[0].kind, promise.acts[0].promise_date, promise.acts[0].promise_amount) == (
        "promise_to_pay", date(2026, 11, 30), 15000)
    assert read("el viernes les deposito veinte mil no perdon treinta mil").acts[0].promise_amount == 30000


def test_a_length_of_a_material_is_its_pipe_and_english_tool_names() -> None:
    assert lines_of(read("a como el tramo de galvanizado de 1/2?")) == [(None, "tubo galvanizado de 1/2")]
    assert lines_of(read("hi, send me 10 boxes of drywall screws")) == [(10, "pija para tablaroca")]
    assert lines_of(read("I need 6 tubes of silicone")) == [(6, "silicon")]


def test_english_buyers_text_counts_angles_and_edits() -> None:
    assert lines_of(read("need 20 3/4 pvc 90 elbows, 15 3/4 pvc tees")) == [
        (20, "codos 3/4 pvc de 90"), (15, "tees 3/4 pvc")]  # no size is 20 3/4"
    assert lines_of(read('do you have 3" sanitary 90 elbows? I need 30')) == [(30, 'codos 3" sanitario de 90')]
    assert lines_of(read("I'll take 2 of the 10 year")) == [(2, "10 anos")]
    edits = read("drop the floats, add 2 sediment filters", "awaiting_confirmation")
    assert [a.kind for a in edits.acts] == ["remove", "add"] and edits.confidence >= 0.85
    assert read("actually remove the plastic anchors and add 3 boxes", "awaiting_confirmation").acts[0].target == (
        "taquetes plastico")
    assert read("make the 3/8 ones 20", "awaiting_confirmation").acts[0].kind == "change_quantity"
    assert [a.kind for a in read("just send the 9 then", "stock_offer").acts] == ["stock_answer"]
    assert read("do I have anything pending with you guys?").acts[0].kind == "statement"
    assert read("any open invoices?").acts[0].kind == "statement"


def test_a_regulars_terse_edits() -> None:
    def first(text: str) -> tuple[str, str | None, int | None]:
        act = read(text, "awaiting_confirmation").acts[0]
        return act.kind, act.target, act.quantity or (act.lines[0].quantity if act.lines else None)

    assert first("+10 tuercas union galv 1/2") == ("add", None, 10)
    assert first("cpl 30") == ("change_quantity", "cople", 30)  # no cople is 30": a count of the drafted line
    assert first("corte 30") == ("change_quantity", "corte", 30)
    assert first("las tee 15") == ("change_quantity", "tee", 15)
    assert first("tees 4") == ("search", None, None)  # 4" tees
    assert first("tramos 25") == ("change_quantity", "tramos", 25)
    # to "¿confirmo, o dime qué cambio?" nothing more to change is a yes; thanks alone is asked again
    assert first("eso es todo") == ("confirm", None, None)
    assert first("ya con eso") == ("confirm", None, None)
    assert first("ok gracias") == ("thanks", None, None)
    assert first("+5 kg clavo de 3") == ("add", None, 5)  # once a crash: the count already led its product
    assert lines_of(read("20 cpl 1/2 y 10 cod 90 1/2 pvc")) == [(20, "cople 1/2 pvc"), (10, "codo 90 1/2 pvc")]
    assert lines_of(read("25 cpl 3/4, 10 red 3/4 a 1/2, todo pvc")) == [
        (25, "cople 3/4 pvc"), (10, 'reduccion 3/4" x 1/2" pvc')]
    assert lines_of(read("pvc 1 1/2: 10 tramos, 20 cod 45")) == [(10, 'tubo pvc 1 1/2"'), (20, 'codo 45 pvc 1 1/2"')]
    # a material said last is a list's only when the lines are fittings or pipe
    assert lines_of(read("1 electronivel y 2 tramos de tubo pvc de 1 pulgada hidraulico"))[0] == (1, "electronivel")


@pytest.mark.parametrize(("text", "context", "acts"), [
    # products asked about one by one, then counted by how they were said
    ("ok de esos mandame 10 de cada uno xfa", "none", [("order", "cada uno", None, None, 10)]),
    ("ok quiero uno de cada uno", "none", [("order", "cada uno", None, None, 1)]),
    ("va mandame 2 del primero q te pregunte y 1 del ultimo", "none",
     [("choose", None, 0, None, 2), ("choose", None, -1, None, 1)]),
    ("ok send me 40 of the first one and 20 of the second", "none",
     [("choose", None, 0, None, 40), ("choose", None, 1, None, 20)]),
    ("ok mandame 20 de cada uno pero del ultimo nomas 5", "none",
     [("order", "cada uno", None, None, 20), ("choose", None, -1, None, 5)]),
    ("ok mandame 50, 20 y 5, en ese orden", "none",
     [("choose", None, 0, None, 50), ("choose", None, 1, None, 20), ("choose", None, 2, None, 5)]),
    ("ok send me 2 of the liter and 12 of the 125 ml", "none",
     [("choose", None, None, "liter", 2), ("choose", None, None, "125 ml", 12)]),
    ("10 de 1/2 y 10 de 3/4", "options_shown", [("choose", None, None, "1/2", 10), ("choose", None, None, "3/4", 10)]),
])
def test_counts_of_products_said_before(text: str, context: str, acts: list[tuple]) -> None:
    reading = read(text, context)
    assert [(a.kind, a.target, a.option_index, a.option_hint, a.quantity or (a.lines[0].quantity if a.lines else None))
            for a in reading.acts] == acts
    assert reading.confidence >= 0.9


def test_products_named_are_not_counts_of_products_said_before() -> None:
    assert lines_of(read("10 coples y 10 tees")) == [(10, "coples"), (10, "tees")]
    # one detail alone is the product just talked about, in that detail (the draft's follow-up)
    assert read("mandame 20 de la de 3/4").acts[0].kind == "order"


@pytest.mark.parametrize(("text", "edit"), [
    # a "no" that corrects the draft does not cancel it
    ("no, los coples 50", ("order", None, None)),
    ("no perdon las de 3/4 son 5 nomas", ("change_quantity", "3/4", 5)),
    ("nel mejor el otro", ("replace", None, None)),
    ("no", ("cancel", None, None)),
    ("no gracias", ("cancel", None, None)),
    ("nel, ahorita no", ("cancel", None, None)),
    # a line named by its position in the draft
    ("quita el ultimo", ("remove", "ultimo", None)),
    ("y el segundo q sean 50", ("change_quantity", "segundo", 50)),
    ("el primero cambialo, mejor 2 bombas centrifugas de 1 hp", ("replace", "primero", None)),
    # a detail for no line: the line last talked about, or the lines that come in it
    ("mmm y si mejor de 3/4?", ("replace", None, None)),
    ("no sabes q, dejalas de media", ("replace", None, None)),
    ("cambia a cobre", ("replace", None, None)),
    ("mejor todo eso en pretul q sale mas barato", ("replace", "todo", None)),
    # the order named, and a yes to it, after a question in the middle
    ("ok, y el pedido si mandalo", ("confirm", None, None)),
    ("y el pedido si, confirmalo porfa", ("confirm", None, None)),
])
def test_corrections_positions_and_details_edit_the_draft(text: str, edit: tuple[str, str | None, int | None]) -> None:
    assert edit_of(text) == edit


def test_a_bare_detail_and_the_other_option_carry_their_words() -> None:
    assert read("mmm y si mejor de 3/4?", "awaiting_confirmation").acts[0].lines[0].size == "3/4"
    assert read("no, la otra", "awaiting_confirmation").acts[0].lines[0].product == "la otra"


@pytest.mark.parametrize(("text", "kind"), [
    ("oigan el tinaco de 1100 q me mandaron el lunes venia rajado de abajo 😤", "complaint"),
    ("el pedido de la semana pasada nunca llego, ya es mucho, tengo la obra parada", "complaint"),
    ("the pump I bought from you last week makes a loud noise and trips the breaker", "complaint"),
    ("I want to speak with a manager please", "human"),
    ("buenas, cuanto me falta por liquidar?", "statement"),
    ("cuantos gfci tienen", "question"),
])
def test_complaints_people_and_the_trades_words(text: str, kind: str) -> None:
    assert kind in [a.kind for a in read(text).acts]


def test_a_fitting_said_alone_takes_the_material_and_size_every_drafted_fitting_shares() -> None:
    assert like_the_others("tees", ['Cople PVC hidráulico 3/4"', 'Tubo PVC hidráulico 3/4" x 6 m']) == 'tees pvc 3/4"'
    assert like_the_others("tapon", ['Codo 90° CPVC 1/2"', 'Tee CPVC 1/2"']) == 'tapon cpvc 1/2"'
    assert like_the_others("tees", ['Cople PVC hidráulico 3/4"', 'Cople de cobre 1/2"']) is None  # they differ
    assert like_the_others("tees cobre", ['Cople PVC hidráulico 3/4"']) is None  # said its own material
    assert like_the_others("tinaco", ['Cople PVC hidráulico 3/4"']) is None  # not a fitting


@pytest.mark.parametrize(("text", "lines"), [
    ("ponme 10 no mejor 12 tees pvc de 1/2", [(12, "tees pvc de 1/2")]),
    ("dame 20, digo 25 codos de cobre 1/2 y 5 coples", [(25, "codos de cobre 1/2"),
                                                          (5, 'coples cobre 1/2"')]),
    ("20 coples de 1/2 no 3/4", [(20, "coples de 3/4")]),
    ("2 cientos de rondanas y medio millar de pijas", [(200, "rondanas"), (500, "pijas")]),
    ("un millar de pijas", [(1000, "pijas")]),
])
def test_a_count_or_size_taken_back_and_counts_said_in_hundreds(text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "lines"), [
    ("necesito 6 tinacos rotoplas de 750 con su kit de accesorios cada uno",
     [(6, "tinacos rotoplas de 750"), (6, "kit de accesorios")]),
    ("12 contactos duplex y 8 apagadores sencillos, y a cada uno ponle su placa y su chalupa",
     [(12, "contactos duplex"), (8, "apagadores sencillos"), (20, "placa"), (20, "chalupa")]),
    ("ponme 12 adaptadores macho pvc de 1, 6 hembra del mismo y 4 tapones pvc de 1, no espera los tapones que sean 8",
     [(12, "adaptadores macho pvc de 1"), (6, "adaptadores hembra pvc de 1"), (8, "tapones pvc de 1")]),
    ("ocupo tres tinacos rotoplas de mil cien litros no espere mejor que sean cuatro y cuatro multiconectores",
     [(4, "tinacos rotoplas de 1100 litros"), (4, "multiconectores")]),
    ("galv 3/4 - tubo 4 / codo x12 / tee 6", [(4, 'tubo galvanizado 3/4"'), (12, 'codo galvanizado 3/4"'),
                                            (6, 'tee galvanizado 3/4"')]),
    ("ocupo dos mil quinientas pijas punta broca", [(2500, "pijas punta broca")]),
    ("tienen esmalte negro? quiero 3 litros, tambien 2 lts de thinner", [(3, "esmalte negro"), (2, "thinner")]),
    ("cuantas valvulas de esfera de bronce tienen es que ocupo como unas veinte para una obra",
     [(20, "valvulas de esfera de bronce")]),
    ("necesito 40 codos de 90 de 1/2, los mas baratos q tengas", [(40, "codos de 90 de 1/2 mas barato")]),
    ("si venden cable x metro? ocupo 35 mts de cable calibre 12", [(35, "cable calibre 12")]),
    ("para la obra de cumbres ocupamos doce tramos de tubo pvc", [(12, "tubo pvc")]),
])
def test_each_with_its_own_corrections_in_a_voice_note_and_questions_that_order(
        text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "context", "act"), [
    ("y otro par de 24", "awaiting_confirmation", ("add", 2, "24")),
    ("y 3 de las otras", "awaiting_confirmation", ("add", 3, "otro")),
    ("y de esas pero de 1 otras 20", "awaiting_confirmation", ("add", 20, "de 1")),
    ("y los mismos de 3/4 tmb porfa", "awaiting_confirmation", ("add", None, "de 3/4")),
    ("¿y una llave de paso de 3/4?", "none", ("question", None, "llave de paso de 3/4")),
    ("cuantos tienen del de 62?", "none", ("question", None, "de 62")),
])
def test_more_of_another_size_or_option_and_follow_ups(text: str, context: str,
                                                        act: tuple[str, int | None, str]) -> None:
    first = read(text, context).acts[0]
    assert (first.kind, first.lines[0].quantity, first.lines[0].product) == act


def test_picks_among_products_said_before_and_what_is_no_promise_or_complaint() -> None:
    picked = read("y del primero que te pregunte ponme 30", "awaiting_confirmation").acts[0]
    assert (picked.kind, picked.option_index, picked.quantity) == ("choose", 0, 30)
    cheapest = read("ok de la mas barata dame 2").acts[0]
    assert (cheapest.kind, cheapest.option_hint, cheapest.quantity) == ("choose", "mas barato", 2)
    assert [a.kind for a in read("ocupo una llave angular y este como le pago").acts] == ["order", "question"]
    assert read("el rotomartillo q les compre ya no prende, lo quiero cambiar").acts[0].kind == "complaint"
    assert read("añade un termofusor porfa, el mio ya no calienta", "awaiting_confirmation").acts[0].kind == "add"
    promise = read("ok, el lunes les transfiero 23443.58 q es lo vencido").acts[0]
    assert promise.promise_amount == Decimal("23443.58")


def test_answers_to_an_offer_of_several_short_lines_and_english_promises() -> None:
    apart = read("de las tees nomas las 20 q tengas, y del tubo mandame los 5 y lo q falta cuando te llegue",
                 "stock_offer").acts
    assert [(a.kind, a.target, a.backorder) for a in apart] == [("stock_answer", "tees", False),
                                                                ("stock_answer", "tubo", True)]
    more = read("ok send the 6 you have, and add 20 LED bulbs 9W and 20 duplex outlets", "stock_offer").acts
    assert [a.kind for a in more] == ["stock_answer", "add"] and lines_of(Reading(
        acts=more[1:], language=None, confidence=1)) == [(20, "foco led 9 w"), (20, "contactos duplex")]
    promise = read("ok, we'll send 30,000 pesos tomorrow morning").acts[0]
    assert (promise.kind, promise.promise_amount) == ("promise_to_pay", 30000)
    assert lines_of(read("I'll take one tank, plus a 3/4 float valve"))[1] == (1, "flotador 3/4")
    assert read("what do we have overdue with you guys?").acts[0].kind == "statement"
    assert read("bronze, the threaded ones", "options_shown").acts[0].option_hint == "bronce rosca"


@pytest.mark.parametrize(("text", "lines"), [
    ("tuboplus 3/4: tramos 8, cod 90 x20, coples 15. de 1/2 lo mismo",
     [(8, 'tubo tuboplus 3/4"'), (20, 'codo 90 tuboplus 3/4"'), (15, 'coples tuboplus 3/4"'),
      (8, "tubo tuboplus de 1/2"), (20, "codo 90 tuboplus de 1/2"), (15, "coples tuboplus de 1/2")]),
    ("te encargo adaptadores macho y hembra pvc de 1, 30 c/u, y 15 tapones pvc de 1",
     [(30, "adaptadores macho pvc de 1"), (30, "adaptadores hembra pvc de 1"), (15, "tapones pvc de 1")]),
    ("ocupo codos y tees de 1/2, 20 de cada uno", [(20, "codos de 1/2"), (20, "tees de 1/2")]),
    ("necesito 40 coples de cobre: 25 de media y 15 de 3/4",
     [(25, "coples de cobre de 1/2"), (15, "coples de cobre de 3/4")]),
    ("mandame 30 codos de 45 sanitarios de 4, no espera, de 2 pulgadas, y 10 yees sanitarias de 4",
     [(30, 'codos de 45 sanitarios de 2"'), (10, "yees sanitarias de 4")]),
    ("quiero 2 cubetas de impermeabilizante blanco de 5 años no perdon el de 10 años",
     [(2, "impermeabilizante blanco 10 anos")]),
    ("me mandas 12 reducciones bushing pvc de 1 a 1/2, no, de 1 a 3/4 perdon",
     [(12, 'reducciones bushing pvc de 1" x 3/4"')]),
    ("sanitario 4: tramos x15, cples x20", [(15, 'tubo sanitario 4"'), (20, 'coples sanitario 4"')]),
    ("y yees de cuatro diez", [(10, "yees de 4")]),
    ("va dame 2 y 4 brocas pa concreto de 3/8", [(2, ""), (4, "brocas para concreto de 3/8")]),
    ("ok I'll take 5 of those and the same in 3/4", [(5, ""), (5, "3/4")]),
    ("ah y dos cajitas de rondana plana de 3/8", [(2, "rondana plana de 3/8")]),
])
def test_lists_said_once_for_several_lines_and_details_taken_back(text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "context", "act"), [
    ("es todo gracias", "awaiting_confirmation", ("confirm", None)),
    ("ya estuvo, confirmalo", "awaiting_confirmation", ("confirm", None)),
    ("ya con eso, confirma porfa", "awaiting_confirmation", ("confirm", None)),
    ("porfa confirmame", "awaiting_confirmation", ("confirm", None)),
    ("ya estuvo bueno de que no me entregan", "awaiting_confirmation", ("complaint", None)),
    ("nel, sin pendientes, nomas los 6 q tengas", "stock_offer", ("stock_answer", False)),
    ("pues mandame los 5 nomas, lo demas lo consigo por otro lado", "stock_offer", ("stock_answer", False)),
    ("y si me mandas las 14 y las 6 que faltan despues?", "stock_offer", ("stock_answer", True)),
    ("oye y ese pedido como va? ya lo estan surtiendo?", "none", ("question", None)),
    ("les pedi 20 apagadores sencillos y me mandaron de escalera", "none", ("complaint", None)),
    ("listo, el viernes te mando 10 mil", "none", ("promise_to_pay", None)),
])
def test_closings_answers_to_a_stock_offer_and_what_a_regular_says(text: str, context: str,
                                                                   act: tuple[str, bool | None]) -> None:
    first = read(text, context).acts[0]
    assert (first.kind, first.backorder) == act


def test_picks_among_options_for_this_line_and_the_next_and_edits_in_other_words() -> None:
    both = read("cpvc, los dos", "options_shown").acts[0]
    assert (both.kind, both.option_hint, both.target) == ("choose", "cpvc", "todos")
    assert read("la dos", "options_shown").acts[0].option_index == 1
    shown = read("dame 1 y una de 18 tmb", "options_shown").acts[0]
    assert (shown.kind, [(ln.quantity, ln.product) for ln in shown.lines]) == ("order", [(1, ""), (1, "18")])
    split = read("y si mejor me las haces 10 de 1/4 y 10 de 3/8?", "awaiting_confirmation").acts
    assert [(a.kind, a.target, a.lines[0].quantity) for a in split] == [("replace", None, 10), ("add", None, 10)]
    years = read("no espera, mejor q sean 5 de 10 años y 3 de 5 años", "awaiting_confirmation").acts
    assert [a.lines[0].product for a in years] == ["de 10 anos", "de 5 anos"]
    rolls = read("actually make it 4 rolls of the 14", "awaiting_confirmation").acts[0]
    assert (rolls.kind, rolls.target, rolls.quantity) == ("change_quantity", "14", 4)
    silicone = read("mejor los silicones q sean los sanitarios blancos", "awaiting_confirmation").acts[0]
    assert (silicone.target, silicone.lines[0].product) == ("silicones", "sanitarios blancos")
    assert read("y cpl pvc 1/2 x30", "awaiting_confirmation").acts[0].kind == "order"
    assert read("y lo mismo pero de 1?").acts[0].lines[0].product == "de 1"
    assert [a.kind for a in read("me lo entregan en el centro?").acts] == ["question"]
    assert lines_of(read("cable cal 12 x2 rollos, centro d carga x1"))[1] == (1, "centro de carga")


@pytest.mark.parametrize(("text", "lines"), [
    ("Solicitamos nos surtan:\n- Cant. 9 tinaco Rotoplas 2500 L\n- Cant. 4 cisterna Rotoplas 2800 L\n"
     "Quedamos atentos.\nCompras – Constructora Bajío",
     [(9, "tinaco rotoplas 2500 l"), (4, "cisterna rotoplas 2800 l")]),
    ("Necesitamos:\n- 50 discos de corte 4 1/2\nSaludos, Lic. Mario Treviño, Compras\nCel. 81 2729 1714",
     [(50, "discos de corte 4 1/2")]),
    ('- 60 tees PVC hidráulicas (40 de 1" y 20 de 1 1/2")',
     [(40, 'tees pvc hidraulicas de 1"'), (20, "tees pvc hidraulicas de 1 1/2")]),
    ('50 reducciones bushing PVC (30 de 1" a 3/4" y 20 de 1 1/2" a 1")',
     [(30, 'reducciones bushing pvc de 1" x 3/4"'), (20, 'reducciones bushing pvc de 1 1/2" x 1"')]),
    ('20 llaves de paso de compuerta bronce 1/2" (perdón, son de 3/4")',
     [(20, "llaves de paso de compuerta bronce de 3/4")]),
    ("send me 3 rolls of 12 gauge wire (100 m)", [(3, "cable calibre 12 100 m")]),
    ("de 3/4 pvc → cpl 30 / tap 15", [(30, 'cople pvc 3/4"'), (15, 'tapon pvc 3/4"')]),
    ("pijas tablaroca 3000, rondana 3/8 200", [(3000, "pijas tablaroca"), (200, "rondana 3/8")]),
    ("esmalte negro 3 lts, thinner 6 lt", [(3, "esmalte negro"), (6, "thinner")]),
    ("fester 5 años: 3 cubetas blanco y 4 galones rojo", [(3, "fester 5 anos blanco"), (4, "fester 5 anos rojo")]),
    ("mariposa 1/4 150 pzas + 2 cajas pija punta broca", [(150, "mariposa 1/4"), (2, "pija punta broca")]),
    ("cable: 1 rollo cal 14, 80 m cal 12", [(1, "cable calibre 14"), (80, "cable calibre 12")]),
    ("un carrete de soldadura cincuenta cincuenta y dos pastas para soldar",
     [(1, "soldadura 50/50"), (2, "pastas para soldar")]),
    ("una llave stilson de catorce unas pinzas de presion de diez", [(1, "llave stilson de 14"),
                                                                     (1, "pinzas de presion de 10")]),
    ("60 copper 90s 1 inch, 2 spools of 50/50 solder", [(60, 'codos cobre 90 1"'), (2, "carretes 50/50 soldadura")]),
    ("15 hose clamps and 5 garden faucets w/ hose thread",
     [(15, "abrazadera sin fin"), (5, "llave para jardin rosca para manguera")]),
])
def test_office_rows_shop_shorthand_and_contractor_english(text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


def test_what_a_buyer_says_beside_an_order_and_to_an_offer() -> None:
    assert [a.kind for a in read("le encargo seis coples y de paso me dice cuanto traigo de saldo").acts] == [
        "statement", "order"]
    assert read("me cotiza y me aparta cuatro cisternas rotoplas de 2800 litros").acts[0].kind == "order"
    assert [a.kind for a in read("me lo entregan en el centro?").acts] == ["question"]
    restated = read("De acuerdo: envíen las 17 válvulas disponibles y las 7 restantes quedan pendientes",
                    "stock_offer").acts
    assert [(a.kind, a.backorder) for a in restated] == [("stock_answer", True)]
    assert read("ok send the 6 gfci now and the other 6 when they come in", "stock_offer").acts[0].backorder
    for yes in ("sale, te pago con el link", "Autorizamos el pedido.", "ya", "ahi te encargo, confirmado", "jalo",
                "hagale pues", "Con eso cerramos, adelante.", "Confirmamos.", "sounds good", "ship it"):
        assert read(yes, "awaiting_confirmation").acts[0].kind == "confirm", yes
    assert read("ok gracias", "awaiting_confirmation").acts[0].kind == "thanks"  # asked again, never taken as a yes
    assert read("si lo pago por transferencia a q cuenta?", "awaiting_confirmation").acts[0].kind == "question"
    assert read("Entendido, omitir el cemento para CPVC", "awaiting_confirmation").acts[0].target == "cemento para cpvc"
    assert read("sin el pegamento nomas lo demas", "options_shown").acts[0].target == "pegamento"
    promise = read("La factura 510 se liquida este viernes por transferencia.").acts[0]
    assert (promise.kind, promise.promise_date) == ("promise_to_pay", date(2026, 11, 27))
    assert read("oye y ese pedido como va?").acts[0].topic == "order_status"
    assert read("y eso cuando me cae?", "awaiting_confirmation").acts[0].topic == "delivery"
    assert read('¿qué existencia tienen de tubo de cobre tipo L de 1/2"?').acts[0].topic == "stock"


def test_both_products_the_other_one_a_pick_with_its_count_and_more_said_after_a_yes() -> None:
    both = read("ok ponme 10 de las dos").acts[0]
    assert (both.kind, both.target, both.lines[0].quantity) == ("order", "cada uno", 10)
    assert read("mandame de los dos, tres piezas").acts[0].lines[0].quantity == 3
    assert read("me llevo las dos cosas").acts[0].target == "cada uno"
    assert [(a.option_index, a.quantity) for a in read("va, del primero 3 y del otro 2").acts] == [(0, 3), (1, 2)]
    pick = read("las truper, media docena xfa", "options_shown").acts[0]
    assert (pick.option_hint, pick.quantity) == ("las truper", 6)
    assert read("el rotoplas, que sea un par", "options_shown").acts[0].quantity == 2
    assert read("el de cobre, medio ciento", "options_shown").acts[0].quantity == 50
    assert lines_of(read("ok me lo llevo, y echale 3 brocas para concreto de 3/8"))[0] == (1, "")
    assert read("y de malla de refuerzo cuantos rollos tienen").acts[0].lines[0].product == "malla de refuerzo"
    assert lines_of(read("ocupo 8 silicones sanitarios blancos, 8 transparentes"))[1] == (8, "silicones transparentes")
    for no_rest in ("just the 5 you have, skip the rest", "pues dame esos dos nomas, no me dejes nada pendiente"):
        assert read(no_rest, "stock_offer").acts[0].backorder is False, no_rest


@pytest.mark.parametrize(("text", "lines"), [
    ("ke tal ocupo adaptadores hembra pvc de 1/2 cincuenta y de 3/4 treinta tapones pvc de 1/2 cuarenta codos pvc "
     "de 45 de 1/2 treinta y reducciones pvc de 3/4 a 1/2 veinte grax pa el viernes",
     [(50, "adaptadores hembra pvc de 1/2"), (30, "adaptadores hembra pvc de 3/4"), (40, "tapones pvc de 1/2"),
      (30, "codos pvc de 45 de 1/2"), (20, 'reducciones pvc de 3/4" x 1/2"')]),
    ("buen dia, cpvc pa agua caliente: tubo de 1/2 quince tramos y de 3/4 ocho",
     [(15, "tubo de 1/2 cpvc"), (8, "tubo de cpvc de 3/4")]),
    ("necesito tuboplus, de media diez tramos y de tres cuartos cinco tramos, codos tuboplus de noventa cuarenta de "
     "media y veinte de tres cuartos",
     [(10, 'tubo 1/2" tuboplus'), (5, 'tubo 3/4" tuboplus'), (40, "codos tuboplus de 90 de 1/2"),
      (20, "codos tuboplus de 90 de 3/4")]),
    ("cinco rollos de cable del 12 de cien metros y tres del 14",
     [(5, "cable del 12 de 100 metros"), (3, "cable del 14 de 100 metros")]),
    ("ponme 3 rollos de cable calibre 12 y 2 de calibre 14, los de 100 m",
     [(3, "cable calibre 12 de 100 m"), (2, "cable calibre 14 de 100 m")]),
    ("quince codos sanitarios de noventa de cuatro, seis codos sanitarios de cuarenta y cinco tambien de cuatro",
     [(15, "codos sanitarios de 90 de 4"), (6, "codos sanitarios de 45 de 4")]),
    ("un rollo de teflon de tres cuartos, ah y tambien una mezcladora para fregadero, no mejor esa no, nomas lo demas",
     [(1, 'teflon de 3/4"')]),
    ("dos filtros de sedimentos pa tinaco, no perdon que sea uno nomas, y cuatro valvulas de esfera",
     [(1, "filtros de sedimentos para tinaco"), (4, "valvulas de esfera")]),
    ("me mandas docena y media de coples de cobre de 1/2 y medio ciento de tees", [(18, "coples de cobre de 1/2"),
                                                                               (50, 'tees cobre 1/2"')]),
    ("ocupo 5 mil pijas para tablaroca", [(5000, "pijas para tablaroca")]),
    ("Hello, Daniel from Los Arcos here. We need PVC fittings: tees 1/2 inch, one hundred; couplings 1/2 inch, "
     "one hundred and fifty; and caps 3/4, forty.",
     [(100, 'tees 1/2"'), (150, 'coples 1/2"'), (40, "tapones 3/4")]),
    ("a como los codos de 1/2, de 3/4 y de 1",
     [(None, "codos de 1/2"), (None, "codos de 3/4"), (None, 'codos de 1"')]),
    ("y la valvula de esfera de pvc, la de cementar, tmb de media?",
     [(None, 'valvula de esfera de pvc de cementar de 1/2"')]),
])
def test_counts_said_after_sizes_words_for_the_line_before_and_counts_in_words(
        text: str, lines: list[tuple[int | None, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "act"), [
    ("ok gracias, ahorita te digo", "thanks"),  # never a yes: the order waits
    ("ahorita te confirmo, dejame checo con el maestro", "ack"),
    ("jaja perdon q tarde en contestar, andaba en la obra", "ack"),
    ("ya, dice q si, mandalo", "confirm"),
    ("ok, ya los tienen en el sistema creo. confirmo", "confirm"),
    ("no, siempre si ponlos", "restore"),
    ("y en cuanto me llega?", "question"),
])
def test_answers_put_off_and_a_yes_said_last_while_the_draft_waits(text: str, act: str) -> None:
    assert read(text, "awaiting_confirmation").acts[0].kind == act


def test_edits_in_the_words_buyers_use() -> None:
    assert edit_of("ay no perdon, eran 15 tramos no 12") == ("change_quantity", "tramos", 15)
    assert edit_of("mmm entonces bajale a 15, con eso la armo") == ("change_quantity", None, 15)
    assert edit_of("no espera mejor q sean 3 docenas") == ("change_quantity", None, 36)
    assert edit_of("ok make it 10 then") == ("change_quantity", None, 10)
    restore = read("no espera siempre si ponle los kits, ya me dijo el inge q si los ocupa", "awaiting_confirmation")
    assert (restore.acts[0].kind, restore.acts[0].target) == ("restore", "kits")
    swap = read("cambia las stilson a las de 18 porfa", "awaiting_confirmation").acts[0]
    assert (swap.kind, swap.target) == ("replace", "stilson")
    every = read("sabes q mejor hazmelos en tuboplus, mismas cantidades", "awaiting_confirmation").acts[0]
    assert (every.kind, every.target, every.lines[0].product) == ("replace", "todo", "tuboplus")
    other = read("perdon no eran coples, eran codos de 90", "awaiting_confirmation").acts[0]
    assert (other.kind, other.target, other.lines[0].product) == ("replace", "coples", "codos de 90")
    detail = read("no siempre no, de 15 mejor y q sean 8", "awaiting_confirmation").acts
    assert [(a.kind, a.lines[0].quantity) for a in detail] == [("replace", 8)]
    sizes = read("y codos pvc de 90, 50 de 1/2 y 40 de 3/4", "awaiting_confirmation").acts[0]
    assert (sizes.kind, [ln.quantity for ln in sizes.lines]) == ("order", [50, 40])  # new lines, not a split


def test_what_is_no_promise_and_who_is_asked_for() -> None:
    assert [a.kind for a in read("le encargo un calentador de deposito, para mañana").acts] == ["order"]
    assert read("oigan la factura me salio con otro rfc, quien me ayuda a corregirla?").acts[0].kind == "human"
    assert read("buenas tardes, me dice cuanto tenemos pendiente porfavor").acts[0].kind == "statement"
    stock = read("cuantas bombas sumergibles y cuantas presurizadoras tienen?").acts[0]
    assert [ln.product for ln in stock.lines] == ["bombas sumergibles", "bombas presurizadoras"]
    assert lines_of(read("ok I'll take half a dozen then"))[0][0] == 6


def test_products_said_before_and_one_more_line_in_one_message() -> None:
    acts = read("del primero 10 y del otro 5, y tambien 10 niples de 3/4").acts
    assert [(a.kind, a.option_index, a.quantity) for a in acts[:2]] == [("choose", 0, 10), ("choose", 1, 5)]
    assert [(ln.quantity, ln.product) for ln in acts[2].lines] == [(10, "niples de 3/4")]
    assert lines_of(read("y 5 de la otra tambien", "awaiting_confirmation")) == [(5, "otro")]
    assert read("mandame 3 del mas grande", "options_shown").acts[0].option_hint == "mas grande"
    assert read("the clear one", "options_shown").acts[0].option_hint == "transparente"


@pytest.mark.parametrize(("text", "products"), [
    ("precio de la stilson de 18 y la de 24?", ["stilson de 18", "stilson de 24"]),
    ("q precio el tinaco rotoplas de 450 lts y el de 750?", ["tinaco rotoplas de 450 litros",
                                                             "tinaco rotoplas de 750 litros"]),
    ("cuanto la mezcladora de lavabo foset y la helvex?", ["mezcladora de lavabo foset",
                                                          "mezcladora de lavabo helvex"]),
    ("precio del codo 90 sanitario de 2 y de 4?", ["codo 90 sanitario de 2", "codo 90 sanitario de 4"]),
    ("hi, how much for the 1/2 hp peripheral pump and the 1 hp one?", ["bomba 1/2 hp periferica",
                                                                       "bomba 1 hp periferica"]),
    # the base names neither variant: it is no line of its own
    ("price on the fester white roof coating 19 L, the 3 year and the 5 year?",
     ["impermeabilizante fester blanco 19 l 3 anos", "impermeabilizante fester blanco 19 l 5 anos"]),
    ("what do the 5 m and 8 m tape measures cost?", ["5 m flexometro", "8 m flexometro"]),
])
def test_one_product_asked_about_in_several_variants_is_a_line_each(text: str, products: list[str]) -> None:
    reading = read(text)
    assert reading.acts[0].topic == "price"
    assert [ln.product for ln in reading.acts[0].lines] == products


@pytest.mark.parametrize(("text", "picks"), [
    ("2 del mas grande y 1 del otro", [("mas grande", 2), ("otro", 1)]),
    ("de la pretul ponme 6 y de la otra 4", [("pretul", 6), ("otro", 4)]),
    ("de la chica 2 y de la grande las 3 que tengas", [("chica", 2), ("grande", 3)]),
    ("give me 4 of the cheaper one and 2 of the other", [("cheaper", 4), ("otro", 2)]),
    ("del 12 ponme 5 rollos y del 14 otros 5, el del 10 no", [("12", 5), ("14", 5)]),
    ("ok put 2 dozen of the bulbs and a dozen of the other", [("foco led", 24), ("otro", 12)]),
])
def test_a_count_for_each_of_the_products_just_quoted(text: str, picks: list[tuple[str, int]]) -> None:
    acts = read(text, "awaiting_confirmation").acts
    assert [(a.kind, a.option_hint, a.quantity) for a in acts] == [("choose", h, q) for h, q in picks]


def test_lines_named_by_their_product_are_edits_not_picks() -> None:
    assert [a.kind for a in read("2 de los coples y 3 de las tees").acts] == ["order"]
    assert lines_of(read("mandame 20 de esa y 20 de la de 3/4")) == [(20, ""), (20, "3/4")]


@pytest.mark.parametrize(("text", "edit"), [
    ("va la mas barata, 4 piezas", ("choose", None, 4)),  # no yes to the draft of both
    ("ok I'll take one of each", ("change_quantity", "each", 1)),
    ("mandame una de cada una", ("change_quantity", "cada uno", 1)),
    ("de los coples mejor 4 docenas", ("change_quantity", "coples", 48)),
    ("y de la dica 10 tmb", ("choose", None, 10)),
])
def test_a_count_for_lines_quoted_is_no_yes(text: str, edit: tuple[str, str | None, int]) -> None:
    assert edit_of(text) == edit


@pytest.mark.parametrize("text", [
    "ocupo 10, mandame los 7 y los otros 3 cuando te lleguen",
    "I need 15, send the 10 now and the other 5 when they come in",
    "ocupo 30 tramos tuboplus de 3/4, lo que tengas y el resto cuando llegue",
])
def test_the_rest_on_backorder_said_with_the_order(text: str) -> None:
    reading = read(text)
    assert [a.kind for a in reading.acts] == ["order", "stock_answer"]
    assert reading.acts[1].backorder is True
    assert len(reading.acts[0].lines) == 1 and reading.acts[0].lines[0].quantity in (10, 15, 30)


def test_a_line_put_back_with_its_count_and_in_english() -> None:
    acts = read("siempre si mandame las valvulas pero nomas 4", "awaiting_confirmation").acts
    assert [(a.kind, a.target, a.quantity) for a in acts] == [("restore", "valvulas", None),
                                                               ("change_quantity", None, 4)]
    assert edit_of("no espera, las pericas si ponlas otra vez") == ("restore", "pericas", None)
    assert edit_of("actually put the switches back in") == ("restore", "apagadores", None)


def test_every_line_in_a_material_and_a_count_after_the_size_of_the_line_before() -> None:
    assert edit_of("cámbialos a cpvc, es pa agua caliente") == ("replace", "todo", None)
    assert lines_of(read("stilson 14 x3 y de 18 x2")) == [(3, "stilson 14"), (2, "stilson 18")]
    choice = read("ah chin, entonces q sean de 90", "options_shown").acts[0]
    assert (choice.kind, choice.option_hint) == ("choose", "90")


@pytest.mark.parametrize(("text", "lines"), [
    ("necesito mil taquetes de plastico de 5/16", [(1000, "taquetes de plastico de 5/16")]),
    ("pija madera 10 x 1 1/2 x4 cajas", [(4, "pija madera 10 por 1 1/2")]),  # the "x 1" is of the size
    ("galv 1/2: codos 90, tees, cpl y niples, 50 c/u", [(50, 'codos 90 galvanizado 1/2"'),
                                                        (50, 'tees galvanizado 1/2"'), (50, 'cople galvanizado 1/2"'),
                                                        (50, 'niples galvanizado 1/2"')]),
    ("4 tinacos 1100, c/u con su multiconector y flotador rotoplas", [(4, "tinacos 1100"), (4, "multiconector"),
                                                                       (4, "flotador rotoplas")]),
    ("How much is a 100 m roll of 12 gauge wire?", [(1, "cable 100 m calibre 12")]),  # one roll of 100 m, not 100
    ("1/2\" cpvc: 20 sticks, 50 tees", [(20, 'tubo cpvc 1/2"'), (50, 'tees cpvc 1/2"')]),
    ("ocupo 20 metros de tuboplus de media", [(20, 'tubo tuboplus de 1/2"')]),  # metres of a material: its pipe
    ("ok 2 dozen", [(24, "")]),
])
def test_counts_in_words_units_and_lists_buyers_write(text: str, lines: list[tuple[int | None, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "edit"), [
    ("cuanto va?", ("question", None, None)),  # the draft's total: "va" is no yes here
    ("ok 25 de esos", ("order", None, None)),  # a count of the product just quoted, no yes to the draft
    ("ah ok, ponle 4 kits de accesorios pa tinaco", ("order", None, None)),
    ("y las bombas si, confirmo", ("confirm", None, None)),
    ("si confirmo los 10 coples", ("confirm", None, None)),
    ("del ultimo mandame 3", ("choose", None, 3)),
])
def test_what_is_and_is_not_a_yes_to_the_draft(text: str, edit: tuple[str, str | None, int | None]) -> None:
    assert edit_of(text) == edit


def test_answers_to_the_options_and_the_draft_in_a_buyers_words() -> None:
    assert read("la truper no, la otra", "options_shown").acts[0].option_hint == "no truper"
    choice = read("ah chin, entonces de 90, los mismos 20", "options_shown").acts[0]
    assert (choice.option_hint, choice.quantity) == ("de 90", 20)
    kits = read("plus an accessory kit for each one", "awaiting_confirmation").acts[0]
    assert kits.target == "cada uno" and [(ln.quantity, ln.product) for ln in kits.lines] == [
        (None, "kit de accesorios")]
    assert lines_of(read("y 2 presurizadoras", "awaiting_confirmation")) == [(2, "bombas presurizadoras")]
    assert lines_of(read("y de pijas pa madera tres cajas, bueno no, nomas dos")) == [(2, "pijas para madera")]
    assert lines_of(read("tubo pvc 1/2: 10 tramos, 20 codos, 20 tees")) == [
        (10, "tubo pvc 1/2"), (20, 'codos pvc 1/2"'), (20, 'tees pvc 1/2"')]


def test_a_tax_id_or_a_cfdi_use_beside_an_order_counts_nothing() -> None:
    text = ("- Cant. 2 soldadura 50/50 carrete 450 g\n- Cant. 4 pasta fundente para soldar\n"
            "¿Me lo pueden facturar con CFDI uso G01? RFC HCO0903059E0")
    reading = read(text)
    assert Reading.model_validate(reading.model_dump()) == reading  # the state stores it; a 0 count would not load
    assert lines_of(reading) == [(2, "soldadura 50/50 carrete 450 g"), (4, "pasta fundente para soldar")]
    assert [a.topic for a in reading.acts if a.kind == "question"] == ["invoice"]


@pytest.mark.parametrize("context", ["stock_offer", "awaiting_confirmation", "none"])
def test_the_same_product_in_another_brand(context: str) -> None:
    act = read("no, entonces de la otra marca, los 60", context).acts[0]
    assert (act.kind, [(ln.quantity, ln.product) for ln in act.lines]) == ("replace", [(60, "otra marca")])


@pytest.mark.parametrize(("text", "lines"), [
    # rows under headings of their own: each heading for its rows only
    ("CPVC 3/4: tees x10, coples x30\nCPVC 1/2: tapones x25, adap macho x15",
     [(10, 'tees cpvc 3/4"'), (30, 'coples cpvc 3/4"'), (25, 'tapones cpvc 1/2"'),
      (15, 'adaptador macho cpvc 1/2"')]),
    ('Sanitario 4": tramos 15 / codos de 90: 20\nSanitario 2": tramos 10 / tees: 15',
     [(15, 'tubo sanitario 4"'), (20, 'codos de 90 sanitario 4"'), (10, 'tubo sanitario 2"'),
      (15, 'tees sanitario 2"')]),
    # kinds of what the heading names, and a count after the product and its detail
    ("Discos 4 1/2: corte metal 50, desbaste 20", [(50, "discos 4 1/2 corte metal"), (20, "discos 4 1/2 desbaste")]),
    ("Mangueras: reforzada 1/2 x 30 m 5 rollos", [(5, "mangueras reforzada 1/2 por 30 m")]),
    ("cobre 3/4: tramos tipo m x4, tee x10", [(4, 'tubo tipo m cobre 3/4"'), (10, 'tee cobre 3/4"')]),
    ("tuboplus 3/4 tramos x8", [(8, "tubo tuboplus 3/4")]),
    ("niples galb 20 de 1/2 y 20 de 3/4", [(20, "niples galvanizado de 1/2"), (20, "niples galvanizado de 3/4")]),
    # a row corrected by its number or by its product; the delivery address is no line
    ("1.- 6 marros 4 lb\n2.- 10 cucharas de albañil\n(el punto 1 corrijo: son 8 marros)\n"
     "Enviar a obra: Calle 14 Poniente 2105, Cholula", [(8, "marros 4 lb"), (10, "cucharas de albanil")]),
    ("1.- 4 válvulas check 1\"\n2.- 2 válvulas de pie 1\"\n(la 1 corrijo: son 6 checks)",
     [(6, 'valvulas check 1"'), (2, 'valvulas de pie 1"')]),
    # a count or a detail taken back with the product said again
    ("2 mezcladoras y una regadera de telefono, no, mejor dos regaderas",
     [(2, "mezcladoras"), (2, "regadera de telefono")]),
    ("20 codos de 90 tuboplus de 1/2 y 10 tees... no, las tees de 3/4 y que sean 12",
     [(20, "codos de 90 tuboplus de 1/2"), (12, "tees de 3/4 tuboplus")]),
    ('I need 40 metal cutting discs 4 1/2"... actually make the discs 60', [(60, 'disco de corte 4 1/2"')]),
    # the product asked about, then counted in other words
    ("Do you have the Helvex 8 inch round shower head? We need 12 of them", [(12, 'regadera helvex 8" redonda')]),
    ("agrega 20 machos de 1", [(20, "adaptadores machos de 1")]),
])
def test_purchase_office_rows_headings_and_corrections(text: str, lines: list[tuple[int | None, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "context", "edit"), [
    ("quitale 5 a las tees", "awaiting_confirmation", ("remove", "tees", 5)),  # five fewer, not the line
    ("bajale 10 a los codos", "awaiting_confirmation", ("remove", "codos", 10)),
    ("bajale a 15", "awaiting_confirmation", ("change_quantity", None, 15)),
    ("nel, la de siempre no, la otra", "awaiting_confirmation", ("replace", None, None)),
    ("no espera, las otras", "awaiting_confirmation", ("replace", None, None)),
    ("k precio el de diamante", "awaiting_confirmation", ("question", None, None)),  # asks, picks nothing
    ("entonces dame 2 de deposito de 40 litros de gas lp", "options_shown", ("choose", None, 2)),
    ("el coflex, el de siempre", "options_shown", ("choose", None, None)),
])
def test_edits_and_picks_said_short(text: str, context: str, edit: tuple[str, str | None, int | None]) -> None:
    act = read(text, context).acts[0]
    assert (act.kind, act.target, act.quantity) == edit


def test_answers_to_an_offer_and_questions_said_short() -> None:
    assert read("Solo los 5 que haya, el resto lo conseguimos aparte.", "stock_offer").acts[0].backorder is False
    assert read("Va, los 9 y las 3 restantes en cuanto lleguen.", "stock_offer").acts[0].backorder is True
    assert read("el coflex, el de siempre", "options_shown").acts[0].option_hint == "coflex"
    assert [a.topic for a in read("a que hora me llega?").acts] == ["order_status"]
    assert [a.topic for a in read("a que hora cierran?").acts] == ["hours"]
    assert [a.topic for a in read("me llega mñn?").acts] == ["delivery"]
    assert read("can you put me through to our sales rep?").acts[0].kind == "human"
    assert lines_of(read("y la bomba presurizadora rotoplas de 1/2?")) == [
        (None, "bomba presurizadora rotoplas 1/2 hp")]


@pytest.mark.parametrize(("text", "context", "acts"), [
    ("el de litro, 6 y 6 limpiadores", "options_shown", [("choose", 6, []), ("add", None, [(6, "limpiadores")])]),
    ("el de 1100, mandame 3 con su multiconector cada uno", "options_shown",
     [("choose", 3, []), ("add", None, [(3, "multiconector")])]),
    ("conector rosca hembra 3/4 x4", "options_shown", [("order", None, [(4, "conector rosca hembra 3/4")])]),
    ("bn, mandame 4 y 4 multiconectores pa los mismos", "none", [("order", None, [(4, ""), (4, "multiconectores")])]),
    ("ok de las dos ponme 6", "none", [("order", None, [(6, "")])]),
    ("no espera, lo mismo pero de 1 en lugar de 3/4", "awaiting_confirmation", [("replace", None, [(None, "1")])]),
])
def test_a_pick_or_a_count_with_more_in_the_same_message(
        text: str, context: str, acts: list[tuple[str, int | None, list[tuple[int | None, str]]]]) -> None:
    reading = read(text, context)
    assert [(a.kind, a.quantity, [(ln.quantity, ln.product) for ln in a.lines]) for a in reading.acts] == acts


@pytest.mark.parametrize(("text", "lines"), [
    ("pvc 3/4: cpl 40, tee 25, cod 90 x30 y 6 tramos",
     [(40, 'cople pvc 3/4"'), (25, 'tee pvc 3/4"'), (30, 'codo 90 pvc 3/4"'), (6, 'tubo pvc 3/4"')]),
    ("rollos de cable thw: del 12 x5, del 14 x5", [(5, "cable thw 12"), (5, "cable thw 14")]),
    ("ocupo 2 cubetas de vinilica blanca comex, 3 galones tmb de vinilica blanca y 4 rodillos",
     [(2, "vinilica blanca comex"), (3, "vinilica blanca"), (4, "rodillos")]),
    ("quiero 8 tramos de tubo galvanizado de 3/4 perdon de 1", [(8, 'tubo galvanizado de 1"')]),
    ("necesito 57 litros de impermeabilizante fester 5 años blanco, y una cubeta de su sellador",
     [(57, "impermeabilizante fester 5 anos blanco"), (1, "sellador")]),
    ("tengo que instalar tres calentadores, mandame pa eso 3 conectores pa el calentador y 3 teflones de 3/4",
     [(3, "conectores para el calentador"), (3, "teflones de 3/4")]),
    ('how much for the 1 1/2" pvc pipe?', [(None, 'tubo 1 1/2" pvc')]),
    ("q mezcladoras manejan pa lavabo?", [(None, "mezcladoras para lavabo")]),
    ("send 20 copper tees 1/2.. sorry, make it 25, and 40 copper 90 elbows 1/2",
     [(25, "tees cobre 1/2"), (40, "codos cobre de 90 1/2")]),
    ("30 PVC ball valves (the solvent weld ones), 20 in 1/2 and 10 in 3/4",
     [(20, "valvula pvc esfera cementar de 1/2"), (10, "valvula pvc esfera cementar de 3/4")]),
])
def test_lines_a_shop_writes_in_one_go(text: str, lines: list[tuple[int | None, str]]) -> None:
    assert lines_of(read(text)) == lines
    if text.startswith("rollos"):
        assert {ln.unit for act in read(text).acts for ln in act.lines} == {"rollos"}


@pytest.mark.parametrize(("text", "lines"), [
    ("necesito 20 codos 3/4 pvc, los de 90, y 10 tees de la misma medida",
     [(20, "codos 3/4 pvc 90"), (10, "tees 3/4 pvc")]),  # the kind said after, a noun of its own in that size
    ("I need 20 elbows 3/4 pvc, the 90 degree ones, and 10 tees same size",
     [(20, "codos 3/4 pvc 90"), (10, "tees 3/4 pvc")]),
    ("12 adaptadores macho pvc de 1, 6 hembra del mismo",
     [(12, "adaptadores macho pvc de 1"), (6, "adaptadores hembra pvc de 1")]),  # a detail alone keeps the noun
    ("va apártame dos de la de un caballo y un electronivel para el tinaco",
     [(2, "1 hp"), (1, "electronivel para el tinaco")]),  # the one quoted, in that measure
    ("tres rollos del catorce también de cien cien apagadores sencillos", [(3, "14"), (100, "apagadores sencillos")]),
    ("send all 21 then, plus 10 sealers", [(21, ""), (10, "selladores")]),
    ("ok I'll take 3 buckets plus 2 rollers 9 inch", [(3, ""), (2, 'rodillos 9"')]),
    ("40 tb sanitario 4", [(40, "tubo sanitario 4")]),  # "tb" after a count is the pipe
])
def test_lines_that_lean_on_what_was_said_before(text: str, lines: list[tuple[int | None, str]]) -> None:
    assert lines_of(read(text)) == lines


@pytest.mark.parametrize(("text", "kind", "target", "quantity"), [
    ("perdón me equivoqué no eran doce yees eran quince", "change_quantity", "yees", 15),
    ("no eran 12 eran 15", "change_quantity", None, 15),
])
def test_a_count_taken_back_and_said_again(text: str, kind: str, target: str | None, quantity: int) -> None:
    reading = read(text, "awaiting_confirmation")
    assert [(a.kind, a.target, a.quantity) for a in reading.acts] == [(kind, target, quantity)]


def test_a_dated_promise_and_a_statement_lead_the_bank_details_asked_beside_them() -> None:
    promise = read("la de quince mil trescientos diez con sesenta y uno te la deposito el martes que entra, "
                   "pásame la clabe")
    assert promise.acts[0].kind == "promise_to_pay"
    assert promise.acts[0].promise_amount == Decimal("15310.61")  # the centavos said in words
    assert promise.acts[0].promise_date == date(2026, 12, 1)
    assert "invoice" not in [a.topic for a in promise.acts]  # "la factura 480" names one; it asks for none
    statement = read("cuanto debo? y pasame la clabe pa pagar")
    assert [a.kind for a in statement.acts] == ["statement", "question"]
    assert statement.acts[1].topic == "payment_methods"


def test_english_complaints_and_invoicing() -> None:
    kinds = [a.kind for a in read("can I talk to someone? the delivery came with 3 cracked tees").acts]
    assert kinds == ["human", "complaint"]
    assert read("hi, do you guys do factura? what info do you need").acts[0].topic == "invoice"
    assert read("me llegaron 4 codos de cobre aplastados").acts[0].kind == "complaint"
    stock = read("how many buckets of the 5 year white waterproofing 19L do you have").acts[0]
    assert (stock.topic, "de 5 anos" in stock.lines[0].product) == ("stock", True)  # a detail, no count


def _acts(text: str, context: str) -> list[tuple[str, str | None, int | None, int | None]]:
    return [(a.kind, a.target or a.option_hint, a.option_index, a.quantity) for a in read(text, context).acts]


@pytest.mark.parametrize(("text", "context", "acts"), [
    # a pick among the options, then an edit of the draft: each read on its own
    ("las truper, y agrégale 10 seguetas bimetálicas", "options_shown", [("choose", "truper", None, None),
                                                                      ("add", None, None, None)]),
    ("el truper, y los taquetes mejor que sean 12", "options_shown", [("choose", "truper", None, None),
                                                                    ("change_quantity", "taquetes", None, 12)]),
    ("el pvc de 90, apártame 20", "options_shown", [("choose", "pvc de 90", None, 20)]),  # the pick's count
    ("la helvex, 2 pzas", "options_shown", [("choose", "la helvex", None, 2)]),
    # two edits in one message, one of a line by its position
    ("del primero mejor 25 y a los tapones quítales 4", "awaiting_confirmation",
     [("change_quantity", "primero", None, 25), ("remove", "tapones", None, 4)]),
    ("del segundo mejor 20 y el último quítalo", "awaiting_confirmation",
     [("change_quantity", "segundo", None, 20), ("remove", "ultimo", None, None)]),
    ("los codos q sean 80, las tees 40", "awaiting_confirmation",
     [("change_quantity", "codos", None, 80), ("change_quantity", "tees", None, 40)]),
    ("no perdón, 30 no, 35", "awaiting_confirmation", [("change_quantity", None, None, 35)]),
    ("agrégame 3", "awaiting_confirmation", [("change_quantity", None, None, 3)]),  # the verb names no line
    ("no, mejor el cable del 14, los mismos 2 rollos", "awaiting_confirmation", [("replace", "cable", None, None)]),
])
def test_a_pick_and_edits_said_together(text: str, context: str,
                                        acts: list[tuple[str, str | None, int | None, int | None]]) -> None:
    assert _acts(text, context) == acts


@pytest.mark.parametrize(("text", "lines"), [
    ("me mandas 12 abrazaderas sin fin, no perdón no son 12 son 18", [(18, "abrazaderas sin fin")]),
    ("mándame 40 tees de cobre, mitad de 1/2 y mitad de 1", [(20, "tees de cobre de 1/2"), (20, "tees de cobre de 1")]),
    ("send 30 couplings half 1/2 and half 3/4", [(15, "coples in 1/2"), (15, "coples in 3/4")]),
])
def test_a_count_corrected_or_halved_in_the_message(text: str, lines: list[tuple[int, str]]) -> None:
    assert lines_of(read(text)) == lines


def test_an_odd_count_is_not_halved() -> None:
    assert 7 not in [q for q, _ in lines_of(read("mándame 15 coples, mitad de 1/2 y mitad de 3/4"))]
