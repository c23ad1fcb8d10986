"""Pricing maths: hand-computed quotes, ROUND_HALF_UP, totals that add up, and the LangChain tool."""

from __future__ import annotations

import json
import random
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from tools.pricing import (
    LineInput,
    PricingPolicy,
    Quote,
    UnknownTierError,
    VolumeBreak,
    make_pricing_tools,
    quote,
)

D = Decimal
CENTAVO = D("0.01")


@pytest.fixture(scope="module")
def policy() -> PricingPolicy:
    return PricingPolicy.load_default()


def line(quantity: int, price: str, sku: str = "PVC-TUB-075-6M") -> LineInput:
    return LineInput(sku=sku, name=f"producto {sku}", quantity=quantity, list_price=D(price))


def half_up(value: Fraction) -> Decimal:
    """An oracle independent of `decimal`: round a non-negative fraction to centavos, halves up."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return D(whole) / 100


def test_default_policy_is_the_demo_file(policy: PricingPolicy) -> None:
    assert policy.iva_rate == D("0.16")
    assert policy.tier_discounts == {"bronze": D("0"), "silver": D("0.03"), "gold": D("0.06"), "platinum": D("0.10")}
    breaks = [(b.min_qty, b.discount) for b in policy.volume_breaks]
    assert breaks == [(10, D("0.02")), (50, D("0.05")), (100, D("0.08"))]


def test_ten_tubes_silver_hand_computed(policy: PricingPolicy) -> None:
    # 10 x 142.50 = 1425.00; silver 3 % = 42.75 -> 1382.25; volume 2 % (10+) = 27.645 -> net 1354.605
    # net rounds half up to 1354.61; IVA 1354.605 x 0.16 = 216.7368 -> 216.74; gross 1354.61 + 216.74.
    q = quote([line(10, "142.50")], tier="silver", policy=policy)
    (ln,) = q.lines
    assert ln.list_amount == D("1425.00")
    assert (ln.tier_discount_rate, ln.tier_discount_amount) == (D("0.03"), D("42.75"))
    assert (ln.volume_discount_rate, ln.volume_discount_amount) == (D("0.02"), D("27.64"))
    assert (ln.net, ln.tax, ln.gross) == (D("1354.61"), D("216.74"), D("1571.35"))
    assert (q.net, q.tax, q.gross) == (D("1354.61"), D("216.74"), D("1571.35"))
    assert (q.currency, q.tier, q.iva_rate) == ("MXN", "silver", D("0.16"))


def test_net_ending_in_half_centavo_rounds_up_not_to_even(policy: PricingPolicy) -> None:
    exact_net = D("1425.00") * D("0.97") * D("0.98")
    assert exact_net == D("1354.605")
    assert exact_net.quantize(CENTAVO, rounding=ROUND_HALF_EVEN) == D("1354.60")  # what banker's would give
    assert quote([line(10, "142.50")], tier="silver", policy=policy).net == D("1354.61")


def test_tax_ending_in_half_centavo_rounds_up(policy: PricingPolicy) -> None:
    # 50 x 3.75 = 187.50; silver 3 % = 5.625 (-> 5.63); volume 5 % of 181.875 = 9.09375;
    # net 172.78125 -> 172.78; IVA 172.78125 x 0.16 = 27.645 exactly -> 27.65 (banker's: 27.64).
    (ln,) = quote([line(50, "3.75")], tier="silver", policy=policy).lines
    assert (ln.list_amount, ln.tier_discount_amount, ln.volume_discount_amount) == (D("187.50"), D("5.63"), D("9.09"))
    assert (ln.net, ln.tax, ln.gross) == (D("172.78"), D("27.65"), D("200.43"))


def test_gross_is_net_plus_tax_not_gross_rounded_on_its_own(policy: PricingPolicy) -> None:
    # Rounding 1354.605 x 1.16 = 1571.3418 directly would give 1571.34, a centavo off net + IVA.
    (ln,) = quote([line(10, "142.50")], tier="silver", policy=policy).lines
    assert ln.gross == ln.net + ln.tax == D("1571.35")


def test_bronze_below_every_break_pays_list_plus_iva(policy: PricingPolicy) -> None:
    (ln,) = quote([line(9, "98.50")], tier="bronze", policy=policy).lines
    assert (ln.tier_discount_amount, ln.volume_discount_rate, ln.volume_discount_amount) == (D("0"), D("0"), D("0"))
    assert (ln.list_amount, ln.net, ln.tax, ln.gross) == (D("886.50"), D("886.50"), D("141.84"), D("1028.34"))


@pytest.mark.parametrize(
    ("quantity", "rate"),
    [(1, "0"), (9, "0"), (10, "0.02"), (49, "0.02"), (50, "0.05"), (99, "0.05"), (100, "0.08"), (10_000, "0.08")],
)
def test_volume_break_is_the_highest_reached(policy: PricingPolicy, quantity: int, rate: str) -> None:
    assert quote([line(quantity, "10.00")], tier="gold", policy=policy).lines[0].volume_discount_rate == D(rate)


def test_totals_are_sums_of_rounded_lines(policy: PricingPolicy) -> None:
    # Each line's exact net is 1354.605: three lines round to 1354.61 each, so the total is
    # 4063.83 although the exact total 4063.815 alone would round to 4063.82.
    q = quote([line(10, "142.50", sku=f"SKU-{i}") for i in range(3)], tier="silver", policy=policy)
    assert q.net == D("4063.83") == sum(ln.net for ln in q.lines)
    assert q.tax == sum(ln.tax for ln in q.lines)
    assert q.gross == sum(ln.gross for ln in q.lines) == q.net + q.tax


def test_every_line_matches_an_exact_fraction_oracle(policy: PricingPolicy) -> None:
    rng = random.Random(20261125)
    tiers = sorted(policy.tier_discounts)
    for _ in range(3000):
        qty = rng.choice([1, 2, 9, 10, 11, 49, 50, 51, 99, 100, 101, rng.randint(1, 5000)])
        price = D(rng.randint(0, 500_000)) / 100
        tier = rng.choice(tiers)
        (ln,) = quote([line(qty, str(price))], tier=tier, policy=policy).lines
        tier_rate = Fraction(policy.tier_discounts[tier])
        vol_rate = Fraction(policy.volume_rate(qty))
        list_exact = Fraction(price) * qty
        net_exact = list_exact * (1 - tier_rate) * (1 - vol_rate)
        assert ln.net == half_up(net_exact)
        assert ln.tax == half_up(net_exact * Fraction(policy.iva_rate))
        assert ln.gross == ln.net + ln.tax
        assert ln.list_amount - ln.tier_discount_amount - ln.volume_discount_amount == ln.net
        assert ln.tier_discount_amount >= 0 and ln.volume_discount_amount >= 0
        # Each discount shown is within a centavo of its exact value.
        assert abs(Fraction(ln.tier_discount_amount) - list_exact * tier_rate) <= Fraction(1, 100)
        vol_exact = list_exact * (1 - tier_rate) * vol_rate
        assert abs(Fraction(ln.volume_discount_amount) - vol_exact) <= Fraction(1, 100)


def test_unknown_tier_names_the_tier(policy: PricingPolicy) -> None:
    with pytest.raises(UnknownTierError, match=r"'diamante'.*bronze, gold, platinum, silver"):
        quote([line(1, "10.00")], tier="diamante", policy=policy)
    assert issubclass(UnknownTierError, ValueError)


def test_tier_is_case_and_space_insensitive(policy: PricingPolicy) -> None:
    q = quote([line(1, "100.00")], tier=" Gold ", policy=policy)
    assert (q.tier, q.net) == ("gold", D("94.00"))


def test_zero_price_line_costs_nothing_and_leaves_others_alone(policy: PricingPolicy) -> None:
    q = quote([line(5, "0", sku="MUESTRA"), line(10, "142.50")], tier="silver", policy=policy)
    free = q.lines[0]
    assert (free.list_amount, free.tier_discount_amount, free.volume_discount_amount) == (D(0), D(0), D(0))
    assert (free.net, free.tax, free.gross) == (D(0), D(0), D(0))
    assert (q.net, q.tax, q.gross) == (D("1354.61"), D("216.74"), D("1571.35"))


def test_big_quantities_stay_exact(policy: PricingPolicy) -> None:
    # 2,500,000 x 99,999.99 = 249,999,975,000.00; platinum 10 % and volume 8 %:
    # net = 249,999,975,000 x 0.9 x 0.92 = 206,999,979,300.00; IVA 33,119,996,688.00.
    (ln,) = quote([line(2_500_000, "99999.99")], tier="platinum", policy=policy).lines
    assert ln.list_amount == D("249999975000.00")
    assert (ln.net, ln.tax, ln.gross) == (D("206999979300.00"), D("33119996688.00"), D("240119975988.00"))
    assert ln.tier_discount_amount == D("24999997500.00")
    assert ln.volume_discount_amount == D("17999998200.00")  # 8 % of 224,999,977,500


def test_empty_quote_is_refused(policy: PricingPolicy) -> None:
    with pytest.raises(ValueError, match="at least one line"):
        quote([], tier="silver", policy=policy)


@pytest.mark.parametrize(
    ("field", "value"),
    [("quantity", 0), ("quantity", -3), ("list_price", "-0.01"), ("list_price", "1.005"), ("list_price", "NaN"),
     ("sku", "")],
)
def test_line_input_refuses_bad_values(field: str, value: object) -> None:
    data: dict[str, object] = {"sku": "PVC-TUB-075-6M", "name": "Tubo", "quantity": 1, "list_price": "1.00"}
    with pytest.raises(ValidationError, match=field):
        LineInput.model_validate(data | {field: value})


def test_money_serialises_as_two_decimal_strings(policy: PricingPolicy) -> None:
    q = quote([line(10, "142.50"), line(1, "0")], tier="silver", policy=policy)
    data = json.loads(q.model_dump_json())
    assert (data["net"], data["tax"], data["gross"], data["currency"]) == ("1354.61", "216.74", "1571.35", "MXN")
    assert data["lines"][0]["list_amount"] == "1425.00"
    assert data["lines"][1]["net"] == "0.00"
    assert Quote.model_validate_json(q.model_dump_json()) == q


def test_quote_with_totals_not_matching_lines_is_refused(policy: PricingPolicy) -> None:
    data = json.loads(quote([line(10, "142.50")], tier="silver", policy=policy).model_dump_json())
    data["gross"] = "1571.34"
    with pytest.raises(ValidationError, match="gross is not the sum"):
        Quote.model_validate(data)


def test_policy_validation() -> None:
    with pytest.raises(ValidationError, match="distinct min_qty"):
        PricingPolicy(iva_rate=D("0.16"), tier_discounts={"a": D(0)},
                      volume_breaks=[VolumeBreak(min_qty=5, discount=D("0.01"))] * 2)
    with pytest.raises(ValidationError):
        PricingPolicy(iva_rate=D("0.16"), tier_discounts={"a": D("1.00")})
    unsorted = PricingPolicy(iva_rate=D("0.08"), tier_discounts={"Mayoreo": D("0.10")},
                             volume_breaks=[VolumeBreak(min_qty=20, discount=D("0.04")),
                                            VolumeBreak(min_qty=5, discount=D("0.01"))])
    assert unsorted.tier_discounts == {"mayoreo": D("0.10")}
    assert [unsorted.volume_rate(q) for q in (4, 5, 19, 20)] == [D(0), D("0.01"), D("0.01"), D("0.04")]


def test_price_quote_tool(policy: PricingPolicy) -> None:
    (tool,) = make_pricing_tools(policy)
    assert tool.name == "price_quote"
    assert set(tool.args) == {"lines", "tier"}
    assert "bronze, gold, platinum, silver" in tool.description
    result = tool.invoke({"lines": [{"sku": "PVC-TUB-075-6M", "name": "Tubo", "quantity": 10,
                                     "list_price": "142.50"}], "tier": "silver"})
    assert isinstance(result, dict)
    assert (result["net"], result["tax"], result["gross"]) == ("1354.61", "216.74", "1571.35")


def test_price_quote_tool_reports_mistakes_to_the_model(policy: PricingPolicy) -> None:
    (tool,) = make_pricing_tools(policy)
    good_line = {"sku": "X", "name": "x", "quantity": 1, "list_price": "1.00"}
    assert "unknown customer tier 'vip'" in tool.invoke({"lines": [good_line], "tier": "vip"})
    bad = tool.invoke({"lines": [good_line | {"quantity": 0}], "tier": "silver"})
    assert bad.startswith("invalid arguments") and "lines.0.quantity" in bad
