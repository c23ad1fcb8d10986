"""The catalog on a real Redis 8 (JSON + search): WhatsApp-Spanish search, tenant wall, stock."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from redis.asyncio import Redis

from core.settings import Settings
from core.tenants import InvalidTenantError
from tools.catalog import (
    Catalog,
    Product,
    ProductNotFoundError,
    canonical_measure,
    demo_products,
    parse_query,
    phonetic_key,
)

TENANT = "ferre-mx"
OTHER = "plomeria-sur"


@pytest.fixture
async def catalog(redis: Redis) -> Catalog:
    cat = Catalog(redis, TENANT)
    assert await cat.load_demo() == len(demo_products())
    return cat


def skus(products: list[Product]) -> list[str]:
    return [p.sku for p in products]


def has_word(product: Product, word: str) -> bool:
    return word in product.name.lower() or word in product.tags


# --- understanding the message (no Redis) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms", "measures"),
    [
        ("Necesito 10 tubos PVC", ("tubos", "pvc"), ()),
        ("nesesito 10 tuvos pvc de 1/2", ("tuvos", "pvc"), ('1/2"',)),
        ("a como el codo de 90 de 3/4", ("codo", "90"), ('3/4"',)),
        ("tinaco de 1100 litros", ("tinaco", "1100"), ()),
        ('codo de 90 de 1/2"', ("codo", "90"), ('1/2"',)),
        ("codo ½", ("codo",), ('1/2"',)),
        ("tubo de media", ("tubo",), ('1/2"',)),
        ("tubo de tres cuartos", ("tubo",), ('3/4"',)),
        ("tubo de 1 pulgada", ("tubo",), ('1"',)),
        ('tubo 1"', ("tubo",), ('1"',)),
        ("tubo 1”", ("tubo",), ('1"',)),
        ("tubo de 2 pulgadas", ("tubo",), ('2"',)),
        ("cople pulgada y media", ("cople",), ('1 1/2"',)),
        ("kodo 45 pbc 1-1/2", ("kodo", "45", "pbc"), ('1 1/2"',)),
        ("reduccion de 3/4 a 1/2", ("reduccion",), ('3/4" x 1/2"',)),
        ("media docena de codos de media", ("codos",), ('1/2"',)),
        ("x10 codos 90°", ("codos", "90"), ()),
        ("hola buenas tardes, kiero cotizar 20 pzas de tee de 1/2 porfa", ("tee",), ('1/2"',)),
        ("bomba 1/2 hp", ("bomba", "1", "2"), ()),  # horsepower, not inches
        ("soldadura 50/50", ("soldadura", "50"), ()),  # not a fraction of an inch
        ("necesito 10 de 1/2", (), ('1/2"',)),
        ("hola", (), ()),
    ],
)
def test_parse_query(text: str, terms: tuple[str, ...], measures: tuple[str, ...]) -> None:
    parsed = parse_query(text)
    assert (parsed.terms, parsed.measures) == (terms, measures)


def test_parse_query_finds_pasted_skus() -> None:
    parsed = parse_query("pvc-tub-050-6m y codos de 1/2")
    assert (parsed.skus, parsed.terms, parsed.measures) == (("PVC-TUB-050-6M",), ("codos",), ('1/2"',))
    assert parse_query("tubo PP-R").skus == ()  # two parts are a word, not a SKU


@pytest.mark.parametrize(
    ("spellings", "key"),
    [(("tuvos", "tubos", "tubo", "TUBO"), "tub"), (("codo", "kodo", "codos"), "kod"), (("pvc", "pbc"), "pbk"),
     (("llave", "yave"), "yab"), (("reducción", "reduccion", "reducion", "reducciones"), "redusion"),
     (("manguera", "mangera"), "manger"), (("hidráulico", "idraulico"), "idraulik")],
)
def test_phonetic_key_folds_common_misspellings(spellings: tuple[str, ...], key: str) -> None:
    assert {phonetic_key(s) for s in spellings} == {key}


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [('1/2"', '1/2"'), ('1 1/2"', '1 1/2"'), ('3/4" x 1/2"', '3/4" x 1/2"'), ("2/4 pulgada", '1/2"'), ('24"', '24"'),
     ("20 mm", "20 mm")],
)
def test_canonical_measure(raw: str, canonical: str) -> None:
    assert canonical_measure(raw) == canonical


# --- the index and the documents --------------------------------------------------------


async def test_ensure_index_is_idempotent(redis: Redis) -> None:
    cat = Catalog(redis, TENANT)
    assert await cat.ensure_index() is True
    assert await cat.ensure_index() is False
    await cat.upsert(demo_products()[:6])
    assert await cat.ensure_index() is False
    assert skus(await cat.search("tubo pvc 1/2"))[0] == "PVC-TUB-050-6M"


async def test_index_created_after_documents_covers_them(redis: Redis) -> None:
    cat = Catalog(redis, TENANT)
    assert await cat.upsert(demo_products()) == 320
    await cat.ensure_index()  # waits for the background scan
    assert skus(await cat.search("tinaco 1100")) == ["TIN-ROT-1100"]


async def test_load_demo_is_idempotent_and_keeps_live_stock(catalog: Catalog, redis: Redis) -> None:
    await catalog.adjust_stock("TIN-ROT-1100", -2)
    assert await catalog.load_demo() == 0
    assert (await catalog.get("TIN-ROT-1100")).stock == 5  # type: ignore[union-attr]
    info = await redis.ft(catalog.index_name).info()
    assert int(info["num_docs"]) == 320


async def test_get_round_trips_a_product(catalog: Catalog, redis: Redis) -> None:
    product = await catalog.get("PVC-TUB-050-6M")
    assert product == next(p for p in demo_products() if p.sku == "PVC-TUB-050-6M")
    assert product is not None and product.list_price == Decimal("98.50")
    assert await catalog.get("NO-SUCH-SKU") is None
    stored = await redis.json().get(catalog.key("PVC-TUB-050-6M"))
    assert stored["list_price"] == "98.50"  # money stays an exact string in the document
    assert stored["_search"]["measure"] == '1/2"'


async def test_upsert_replaces_a_product(catalog: Catalog) -> None:
    old = await catalog.get("TIN-ROT-1100")
    assert old is not None
    renamed = old.model_copy(update={"name": "Tinaco tricapa Rotoplas 1100 L", "list_price": Decimal("3999.90")})
    assert await catalog.upsert([renamed]) == 1
    assert (await catalog.get("TIN-ROT-1100")) == renamed
    assert skus(await catalog.search("tinaco tricapa")) == ["TIN-ROT-1100"]


# --- search: what customers write -------------------------------------------------------


async def test_tubos_pvc_finds_pvc_tubes(catalog: Catalog) -> None:
    results = await catalog.search("Necesito 10 tubos PVC")
    assert len(results) == 5
    assert all(p.name.startswith("Tubo PVC") for p in results)


async def test_misspelt_tubes_with_a_measure(catalog: Catalog) -> None:
    results = await catalog.search("nesesito 10 tuvos pvc de 1/2")
    assert results[0].sku == "PVC-TUB-050-6M"  # Tubo PVC hidráulico 1/2"


async def test_price_question_for_an_elbow(catalog: Catalog) -> None:
    results = await catalog.search("a como el codo de 90 de 3/4")
    assert results and all(p.measure == '3/4"' and "Codo 90°" in p.name for p in results)
    assert "PVC-C90-075" in skus(results)


async def test_exact_measure_ranks_first(catalog: Catalog) -> None:
    results = await catalog.search("codo de 90 de 1/2", limit=10)
    measures = [p.measure for p in results]
    assert measures[0] == '1/2"'
    # Every 1/2" elbow comes before any other size, and other sizes do follow.
    assert measures == sorted(measures, key=lambda m: m != '1/2"')
    assert 0 < measures.count('1/2"') < len(measures)


async def test_tinaco_by_capacity(catalog: Catalog) -> None:
    assert skus(await catalog.search("tinaco 1100")) == ["TIN-ROT-1100"]
    assert skus(await catalog.search("rotoplas de 2500 litros")) == ["TIN-ROT-2500"]


async def test_pegamento_pvc_finds_the_pvc_cement(catalog: Catalog) -> None:
    results = await catalog.search("pegamento pvc")
    assert set(skus(results)[:3]) == {"SEL-AMA-CEM-125", "SEL-AMA-CEM-250", "SEL-AMA-CEM-1L"}


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("tubo pvc de tres cuartos", "PVC-TUB-075-6M"),
        ('tubo pvc 1"', "PVC-TUB-100-6M"),
        ("tubo pvc hidraulico de 2 pulgadas", "PVC-TUB-200-6M"),
        ("cople pvc de pulgada y media", "PVC-CPL-150"),
        ("kodo pbc 90 de media", "PVC-C90-050"),
        ("codo 45 pvc ½", "PVC-C45-050"),
        ("reducción bushing pvc de 3/4 a 1/2", "PVC-RED-075X050"),
        ("yave de paso 3/4", "VAL-URR-PAS-075"),
        ("estilson de 14", "HER-TRU-STI-14"),
        ("cemento cpvc", "SEL-AMA-CPV-118"),
        ("cilicon transparente", "SEL-SIS-SIL-TRA"),
        ("disco de corte 4 1/2", "DIS-TRU-COR-412"),
        ("PVC-TUB-050-6M", "PVC-TUB-050-6M"),
    ],
)
async def test_realistic_queries(catalog: Catalog, text: str, first: str) -> None:
    assert skus(await catalog.search(text))[0] == first


async def test_a_bucket_is_the_19_litre_product(catalog: Catalog) -> None:
    found = await catalog.resolve("sellador para imper", unit="cubeta")
    assert found.product is not None and found.product.sku == "IMP-FES-SEL-19"
    assert len((await catalog.resolve("sellador")).fits) > 1  # with nothing to go by it is asked


async def test_what_a_product_is_for_picks_the_one_made_for_it(catalog: Catalog) -> None:
    # "gas para el soplete" is the cylinder made for the torch, not the torch; "sellador para imper" the one sealer
    # made for waterproofing, not the polyurethane one; "electronivel para el tinaco" the level control named, not
    # what is sold for the tank
    for words, sku in (("gas para el soplete", "COB-GAS-400"), ("sellador para imper", "IMP-FES-SEL-19"),
                       ("electronivel para el tinaco", "BOM-TRU-ELN")):
        found = await catalog.resolve(words)
        assert found.product is not None and found.product.sku == sku, words


async def test_typos_still_find_the_family(catalog: Catalog) -> None:
    assert all("Válvula de esfera" in p.name for p in await catalog.search("balbula de esfera"))
    assert all(p.name.startswith("Manguera") or "manguera" in p.tags for p in await catalog.search("mangera jardin"))
    assert all("wc" in p.tags for p in await catalog.search("excusado"))


async def test_horsepower_is_not_inches(catalog: Catalog) -> None:
    results = await catalog.search("bomba 1/2 hp")
    assert results and all(p.name.endswith("1/2 HP") for p in results)


async def test_nothing_matching_is_an_empty_list(catalog: Catalog) -> None:
    assert await catalog.search("hola buenas tardes") == []
    assert await catalog.search("") == []
    assert await catalog.search("10 de 1/2") == []  # a size alone names no product
    assert await catalog.search("xyzzy plugh") == []


@pytest.mark.parametrize(
    "text",
    ['"', "(", ")", "@", "|", "-", "\\", "{", "}", "[", "]", "*", "%%", "~", "$", "'", ";", ":", "=>", "\x00",
     "@name:(x)", "@sku:{*}", "@stock:[-inf +inf]", "tubo) | (@stock:[0 +inf]", "-pvc", "pvc -tubo",
     "codo @measure:{3/4\\\"}", "tubo* | *", "%%%tubo%%%", "~tubo", "tubo => { $weight: 100; }",
     "$param", "ñ" * 300, "tubo " * 2000],
)
async def test_hostile_text_never_breaks_or_widens_the_query(catalog: Catalog, text: str) -> None:
    results = await catalog.search(text)
    # Whatever came back matched the words in the text, never a query the text smuggled in.
    words = parse_query(text).terms
    assert all(any(phonetic_key(w) in phonetic_key(p.name) or w in p.name.lower() or w in p.tags for w in words)
               for p in results)


async def test_punctuation_does_not_negate_or_widen(catalog: Catalog) -> None:
    assert all(has_word(p, "pvc") for p in await catalog.search("-pvc"))
    smuggled = await catalog.search("tubo) | (@stock:[0 +inf]")
    assert smuggled and all(has_word(p, "tubo") or "tubos" in p.name.lower() for p in smuggled)
    assert await catalog.search("@sku:{*}") == []


async def test_in_stock_filter(catalog: Catalog) -> None:
    everything = await catalog.search("codo 45 pvc 3/4")
    assert everything[0].sku == "PVC-C45-075" and everything[0].stock == 0
    in_stock = await catalog.search("codo 45 pvc 3/4", in_stock=True)
    assert in_stock and "PVC-C45-075" not in skus(in_stock) and all(p.stock > 0 for p in in_stock)
    out_of_stock = await catalog.search("codo pvc", in_stock=False, limit=10)
    assert {"PVC-C45-075", "PVC-C90-100"} <= set(skus(out_of_stock)) and all(p.stock <= 0 for p in out_of_stock)


@pytest.mark.parametrize("decode_responses", [False, True])
async def test_a_resp3_client_works_too(redis: Redis, settings: Settings, decode_responses: bool) -> None:
    assert settings.redis_url
    client = Redis.from_url(settings.redis_url, protocol=3, decode_responses=decode_responses)
    try:
        cat = Catalog(client, TENANT)
        await cat.load_demo()
        assert skus(await cat.search("tinaco 1100")) == ["TIN-ROT-1100"]
        assert await cat.search("tinaco 1100", in_stock=False) == []
        assert await cat.adjust_stock("TIN-ROT-1100", 1) == 8
        assert (await cat.get("TIN-ROT-1100")).stock == 8  # type: ignore[union-attr]
    finally:
        await client.aclose()


async def test_limit(catalog: Catalog) -> None:
    assert len(await catalog.search("pvc", limit=1)) == 1
    assert len(await catalog.search("pvc", limit=50)) == 50
    with pytest.raises(ValueError, match="limit"):
        await catalog.search("pvc", limit=0)
    with pytest.raises(ValueError, match="limit"):
        await catalog.search("pvc", limit=51)


# --- tenants and stock -------------------------------------------------------------------


async def test_tenant_wall(catalog: Catalog, redis: Redis) -> None:
    other = Catalog(redis, OTHER)
    await other.ensure_index()
    own = Product(sku="SUR-TUB-001", name="Tubo PVC hidráulico 1/2\" marca Sur", category="tuberia_pvc",
                  brand="Sur", unit="tramo", list_price=Decimal("77.00"), stock=9, reorder_point=1,
                  lead_time_days=2, supplier_id="SUP-900", measure='1/2"', tags=["pvc", "tubo"])
    await other.upsert([own])

    assert catalog.index_name != other.index_name
    assert "SUR-TUB-001" not in skus(await catalog.search("tubo pvc 1/2", limit=50))
    assert await catalog.get("SUR-TUB-001") is None
    assert skus(await other.search("tubo pvc 1/2", limit=50)) == ["SUR-TUB-001"]
    assert await other.search("tinaco 1100") == []
    assert await other.get("TIN-ROT-1100") is None
    with pytest.raises(ProductNotFoundError):
        await catalog.adjust_stock("SUR-TUB-001", 1)
    # Even a pasted SKU of the other tenant stays invisible.
    assert await catalog.search("SUR-TUB-001") == []
    info = await redis.ft(other.index_name).info()
    assert int(info["num_docs"]) == 1


def test_tenant_id_is_validated(redis: Redis) -> None:
    with pytest.raises(InvalidTenantError):
        Catalog(redis, "Bad Tenant}")


async def test_adjust_stock(catalog: Catalog) -> None:
    assert await catalog.adjust_stock("PVC-TUB-050-6M", 5) == 74
    assert await catalog.adjust_stock("PVC-TUB-050-6M", -4) == 70
    assert (await catalog.get("PVC-TUB-050-6M")).stock == 70  # type: ignore[union-attr]
    with pytest.raises(ProductNotFoundError, match="NO-SUCH"):
        await catalog.adjust_stock("NO-SUCH", 1)


async def test_adjust_stock_is_atomic_under_concurrency(catalog: Catalog) -> None:
    await asyncio.gather(*(catalog.adjust_stock("PVC-C90-050", -1) for _ in range(100)))
    assert (await catalog.get("PVC-C90-050")).stock == 991 - 100  # type: ignore[union-attr]


async def test_stock_changes_reach_the_index(catalog: Catalog) -> None:
    assert await catalog.adjust_stock("TIN-ROT-1100", -7) == 0
    # No fallback to "any word" (floats, filters) when the product exists but is out of stock.
    assert await catalog.search("tinaco 1100", in_stock=True) == []
    assert skus(await catalog.search("tinaco 1100", in_stock=False)) == ["TIN-ROT-1100"]
    assert await catalog.adjust_stock("TIN-ROT-1100", -1) == -1  # a backorder still reads back
    assert (await catalog.get("TIN-ROT-1100")).stock == -1  # type: ignore[union-attr]
