"""The draft order's pure steps: adding merges a product's lines, a line is found by its words, picks."""

from __future__ import annotations

from graph import draft
from tools.catalog import Product

TEES = {"sku": "PVC-TEE-075", "name": 'Tee PVC hidráulica 3/4"', "list_price": "15.80", "unit": "pieza", "stock": 495}
COPLES = {"sku": "PVC-CPL-075", "name": 'Cople PVC hidráulico 3/4"', "list_price": "7.50", "unit": "pieza",
          "stock": 184}
COPPER = {"sku": "COB-CPL-075", "name": 'Cople de cobre 3/4"', "list_price": "16.50", "unit": "pieza", "stock": 246}
TUBE = {"sku": "PVC-TUB-075-6M", "name": 'Tubo PVC hidráulico 3/4" x 6 m cédula 40', "list_price": "160.00",
        "unit": "tramo", "stock": 24}


def test_adding_a_product_already_in_the_draft_adds_to_its_line() -> None:
    cart = draft.add([draft.line_of(TEES, 8)], draft.line_of(COPLES, 15))
    cart = draft.add(cart, draft.line_of(TEES, 2))
    assert [(ln["sku"], ln["quantity"]) for ln in cart] == [("PVC-TEE-075", 10), ("PVC-CPL-075", 15)]


def test_a_line_is_found_by_the_words_that_tell_it_apart() -> None:
    cart = [draft.line_of(TEES, 8), draft.line_of(COPLES, 15), draft.line_of(COPPER, 5)]
    assert draft.find(cart, "tees") == 0
    assert draft.find(cart, "los de cobre") == 2
    assert draft.find(cart, "coples") is None  # two coples: ask, never guess
    assert draft.find(cart, "tinacos") is None
    assert draft.find([draft.line_of(TEES, 8)], None) == 0


def test_picks_by_position_attribute_and_price() -> None:
    options = [COPLES, COPPER]
    assert draft.pick(options, 1, None) == COPPER
    assert draft.pick(options, -1, None) == COPPER
    assert draft.pick(options, 5, None) is None
    assert draft.pick(options, None, "cobre") == COPPER
    assert draft.pick(options, None, "la mas barata") == COPLES
    assert draft.pick(options, None, "galvanizado") is None
    assert draft.pick([COPPER], None, None) == COPPER  # "sí" with one option shown


def test_a_bare_size_word_picks_that_end_of_the_range() -> None:
    tapes = [{"sku": "FLX-5", "name": "Flexómetro 5 m", "list_price": "95.00"},
             {"sku": "FLX-8", "name": "Flexómetro 8 m", "list_price": "145.00"}]
    assert draft.pick(tapes, None, "el largo")["sku"] == "FLX-8"
    assert draft.pick(tapes, None, "la chica , 2")["sku"] == "FLX-5"
    assert draft.pick(tapes, None, "the big one")["sku"] == "FLX-8"
    assert draft.pick(tapes, None, "el rojo") is None  # a word that tells nothing apart is asked again
    tanks = [{"sku": "T-750", "name": "Tinaco Rotoplas 750 L"}, {"sku": "T-2500", "name": "Tinaco Rotoplas 2500 L"},
             {"sku": "KIT", "name": "Kit de accesorios para tinaco"}]
    assert draft.pick(tanks, None, "mas grande")["sku"] == "T-2500"  # the kit has no size to compare


def test_a_short_line_is_cut_to_stock_with_or_without_a_backorder() -> None:
    cart = [draft.line_of(TEES, 8), draft.line_of(TUBE, 50)]
    assert draft.short(cart) == [1]
    assert draft.take_available(cart[1], backorder=True) | {} == cart[1] | {"quantity": 24, "backorder": 26}
    assert draft.take_available(cart[1], backorder=False)["backorder"] == 0


def test_a_line_takes_the_material_most_of_the_order_is_written_in() -> None:
    def product(sku: str, name: str) -> Product:
        return Product(sku=sku, name=name, category="c", brand="b", unit="pieza", list_price="1.00", stock=5,
                       reorder_point=0, lead_time_days=1, supplier_id="SUP-001")

    tees = [product("CPVC-TEE-075", 'Tee CPVC 3/4"'), product("COB-TEE-075", 'Tee de cobre 3/4"'),
            product("PVC-TEE-075", 'Tee PVC hidráulica 3/4"')]
    assert draft.in_context(tees, ["tubo pvc hidraulico de 3/4", "codos de 90 de 3/4 pvc"]).sku == "PVC-TEE-075"
    assert draft.in_context(tees, ["tubo pvc de 3/4"]).sku == "PVC-TEE-075"  # a pipe drafted: its fittings join it
    assert draft.in_context(tees, ["codos pvc de 3/4"]) is None  # one fitting is no pattern: ask
    assert draft.in_context(tees, ["codos de 3/4", "coples de 3/4"]) is None


def test_a_detail_the_draft_already_has_changes_nothing() -> None:
    cart = [draft.line_of(TEES, 8), draft.line_of(COPLES, 15)]
    assert draft.has_variant(cart, "pvc")
    assert not draft.has_variant(cart, "cobre")


def test_the_biggest_or_longest_option_is_picked_by_its_measure() -> None:
    hoses = [{"name": 'Manguera flexible para lavabo 1/2" x 1/2" x 60 cm', "list_price": "88"},
             {"name": 'Manguera flexible para lavabo 1/2" x 1/2" x 40 cm', "list_price": "72"}]
    tanks = [{"name": f"Tinaco Rotoplas {n} L", "list_price": "1"} for n in (450, 750, 1100, 2500)]
    assert draft.pick(hoses, None, "las mas largas") is hoses[0]
    assert draft.pick(hoses, None, "la mas corta") is hoses[1]
    assert draft.pick(tanks, None, "el mas grande q tengas") is tanks[3]
    assert draft.pick(tanks, None, "el mas chico") is tanks[0]
    assert draft.pick(tanks[:1] * 2, None, "el mas grande") is None  # a tie names none


def test_the_kind_of_a_material_another_line_names() -> None:
    def product(sku: str, name: str) -> Product:
        return Product(sku=sku, name=name, category="c", brand="b", unit="pieza", list_price="1.00", stock=5,
                       reorder_point=0, lead_time_days=1, supplier_id="SUP-001")

    elbows = [product("PVC-C90-200", 'Codo 90° PVC hidráulico 2"'), product("SAN-C90-200", 'Codo 90° PVC sanitario 2"')]
    assert draft.in_context(elbows, ["tees pvc de 2", "tramos pvc hidraulico de 2"]).sku == "PVC-C90-200"
    assert draft.in_context(elbows, ["tees pvc de 2"]) is None


def test_a_line_is_found_by_its_position() -> None:
    cart = [draft.line_of(TEES, 8), draft.line_of(COPLES, 15), draft.line_of(COPPER, 5)]
    assert [draft.find(cart, t) for t in ("primero", "el ultimo", "segundo", "de en medio", "cuarto")] == [
        0, 2, 1, 1, None]
    assert draft.find(cart[:2], "medio") is None  # two lines have no middle one


def test_products_quoted_are_remembered_once_in_the_order_asked() -> None:
    quoted = draft.remember(draft.remember([], [TEES]), [COPLES, TEES])
    assert [o["sku"] for o in quoted] == ["PVC-TEE-075", "PVC-CPL-075"]
    many = draft.remember([], [{**TEES, "sku": f"S{i}"} for i in range(draft.MAX_QUOTED + 2)])
    assert many[0]["sku"] == "S2" and len(many) == draft.MAX_QUOTED


def test_a_unit_alone_picks_the_one_of_one_unit() -> None:
    litre = {"sku": "SEL-AMA-CEM-1L", "name": "Cemento para PVC 1 L", "list_price": "365.00", "measure": "1 L"}
    small = {"sku": "SEL-AMA-CEM-125", "name": "Cemento para PVC 125 ml", "list_price": "68.00", "measure": "125 ml"}
    assert [draft.pick([litre, small], None, h)["sku"] for h in ("el de litro", "the liter one", "125 ml")] == [
        "SEL-AMA-CEM-1L", "SEL-AMA-CEM-1L", "SEL-AMA-CEM-125"]


def test_a_picked_line_remembers_the_options_not_picked() -> None:
    line = draft.line_of(TEES, 8, others=[COPLES, COPPER, TUBE, TEES])
    assert [o["sku"] for o in line["others"]] == ["PVC-CPL-075", "COB-CPL-075", "PVC-TUB-075-6M"]
    assert "others" not in draft.line_of(TEES, 8)


def test_pieces_of_a_product_sold_by_the_box_are_counted_in_boxes() -> None:
    taquetes = {"sku": "TAQ-FIE-PLA-14", "name": 'Taquete de plástico 1/4" (caja con 100)', "list_price": "45.00",
                "unit": "caja", "stock": 179}
    assert draft.in_packs(taquetes, 300, None) == (3, 100)  # "300 taquetes"
    assert draft.in_packs(taquetes, 150, "pzas") == (2, 100)  # whole boxes, rounded up
    assert draft.in_packs(taquetes, 50, "piezas") == (1, 100)
    assert draft.in_packs(taquetes, 5, None) == (5, None)  # "5 de taquete": boxes, as regulars count them
    assert draft.in_packs(taquetes, 300, "cajas") == (300, None)
    assert draft.in_packs(TEES, 300, None) == (300, None)


def test_a_line_quoted_with_no_count_takes_the_count_said_next() -> None:
    quoted = draft.line_of(TEES, 1) | {"unsaid": True}
    assert draft.add([quoted], draft.line_of(TEES, 2))[0]["quantity"] == 2  # "mándeme dos": two, not three
    assert "unsaid" not in draft.add([quoted], draft.line_of(TEES, 2))[0]
    counted = draft.line_of(TEES, 5)
    assert draft.add([counted], draft.line_of(TEES, 2))[0]["quantity"] == 7
    assert draft.add([counted], draft.line_of(TEES, 1) | {"unsaid": True})[0]["quantity"] == 5  # named again


def test_a_product_quoted_before_is_found_by_a_detail_it_alone_has() -> None:
    quoted = [COPLES, COPPER, TEES]
    assert draft.covers(COPLES, "coples") and not draft.covers(COPLES, "coples de 1/2")
    assert draft.quoted_with(quoted, "tee") == TEES
    assert draft.quoted_with(quoted, "cobre") == COPPER
    assert draft.quoted_with(quoted, "coples") is None  # two coples were quoted: which is asked


def test_a_count_in_a_unit_picks_the_one_option_sold_in_it() -> None:
    by_metre = {"sku": "ELE-CON-THW12-MT", "name": "Cable THW-LS calibre 12 AWG (por metro)", "unit": "metro"}
    roll = {"sku": "ELE-CON-THW12-100", "name": "Cable THW-LS calibre 12 AWG rollo 100 m", "unit": "rollo"}
    assert draft.sold_in([by_metre, roll], "metros") is by_metre
    assert draft.sold_in([by_metre, roll], "rolls") is roll
    assert draft.sold_in([TEES, COPLES], "piezas") is None  # both in pieces: which one is still asked
    assert draft.sold_in([by_metre, roll], None) is None


def test_metres_of_a_product_sold_by_the_length_are_counted_in_lengths() -> None:
    pipe = {"sku": "PPR-TUB-050-4M", "name": 'Tubo Tuboplus PP-R 1/2" (20 mm) x 4 m', "unit": "tramo"}
    assert draft.in_lengths(pipe, 20, "metros") == (5, 4.0)
    assert draft.in_lengths(pipe, 21, "metros") == (6, 4.0)  # a length more, never short
    assert draft.in_lengths(pipe, 20, "tramos") == (20, None)
    cable = {"sku": "ELE-CON-THW12-MT", "name": "Cable THW-LS calibre 12 AWG (por metro)", "unit": "metro"}
    assert draft.in_lengths(cable, 80, "metros") == (80, None)


def test_a_container_or_a_unit_said_picks_the_option_that_comes_in_it() -> None:
    paint = [{"sku": "PIN-COM-VIN-19", "name": "Pintura vinil-acrílica blanca 19 L", "unit": "pieza",
              "list_price": "2250"},
             {"sku": "PIN-COM-VIN-04", "name": "Pintura vinil-acrílica blanca 4 L", "unit": "pieza",
              "list_price": "520"}]
    assert draft.sold_in(paint, "galones")["sku"] == "PIN-COM-VIN-04"  # type: ignore[index]
    assert draft.find([{**p, "quantity": 1} for p in paint], "cubetas") == 0
    pipe_and_tee = [{"sku": "PPR-TUB-075-4M", "name": 'Tubo Tuboplus 3/4" x 4 m', "unit": "tramo", "list_price": "1"},
                    {"sku": "PPR-TEE-075", "name": 'Tee Tuboplus 3/4"', "unit": "pieza", "list_price": "1"}]
    assert draft.pick(pipe_and_tee, None, "tramos 15")["sku"] == "PPR-TUB-075-4M"  # type: ignore[index]


def test_litres_of_a_product_sold_in_a_container_are_counted_in_containers() -> None:
    bucket = {"sku": "IMP", "name": "Impermeabilizante acrílico 5 años blanco 19 L", "unit": "pieza"}
    assert draft.in_containers(bucket, 57, "litros") == (3, 19)
    assert draft.in_containers(bucket, 40, "litros") == (3, 19)  # never short: two buckets hold 38
    assert draft.in_containers(bucket, 3, None) == (3, None)  # pieces said: as said
    by_the_litre = {"sku": "CEM", "name": "Cemento para PVC 1 L", "unit": "litro"}
    assert draft.in_containers(by_the_litre, 4, "litros") == (4, None)
