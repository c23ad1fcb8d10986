"""Pricing maths: list price, customer tier and volume discounts, IVA 16 %, in `Decimal` to the centavo.

Rules (one line at a time):
    base = list_price * quantity * (1 - tier_rate) * (1 - volume_rate)
    tax  = base * iva_rate
Everything is computed exactly and rounded ROUND_HALF_UP to centavos only at the end.
Each line satisfies `list_amount - tier_discount_amount - volume_discount_amount == net`
and `net + tax == gross`, and the quote's totals are sums of its rounded lines, so what
a customer reads adds up to the centavo, as a CFDI needs (total = subtotal - discounts + taxes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, localcontext
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

CENTAVO = Decimal("0.01")
ZERO = Decimal("0.00")
# Beside this file rather than importlib.resources: an editable install made while `tools` had no
# __init__.py imports it as a namespace package, which `resources.files` cannot read from.
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"

# Every operation here is a product or difference of finite decimals, hence exact given
# enough digits: trapping Inexact turns any silent precision loss into a loud error.
_EXACT = Context(prec=60, traps=[Inexact])
# Rounding to centavos is the one deliberately inexact step, so it names its own context.
_ROUNDING = Context(prec=60, rounding=ROUND_HALF_UP)


def to_centavos(value: Decimal) -> Decimal:
    """Round to centavos, halves away from zero (ROUND_HALF_UP), as Mexican invoices do."""
    return value.quantize(CENTAVO, context=_ROUNDING)


def _money_str(value: Decimal) -> str:
    return str(to_centavos(value))


#: An amount in MXN, always in centavos; a JSON string with two decimals ("1571.35").
Money = Annotated[
    Decimal,
    AfterValidator(to_centavos),
    PlainSerializer(_money_str, return_type=str, when_used="json"),
]
#: A fraction in [0, 1): 0.16 is 16 %.
Rate = Annotated[Decimal, Field(ge=0, lt=1)]


class UnknownTierError(ValueError):
    """A customer tier the pricing policy does not define."""


class VolumeBreak(BaseModel):
    """From `min_qty` units on one line, the line earns `discount` off."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_qty: int = Field(ge=1)
    discount: Rate


class PricingPolicy(BaseModel):
    """A tenant's pricing rules: IVA rate, discount per customer tier, volume breaks per line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    iva_rate: Rate
    tier_discounts: dict[str, Rate] = Field(min_length=1)
    volume_breaks: list[VolumeBreak] = Field(default_factory=list)

    @field_validator("tier_discounts")
    @classmethod
    def _lowercase_tiers(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        # Tiers arrive from customer records and model output; one spelling avoids near-misses.
        tiers = {name.strip().lower(): rate for name, rate in value.items()}
        if len(tiers) != len(value):
            raise ValueError("tier names must be unique ignoring case and spaces")
        return tiers

    @field_validator("volume_breaks")
    @classmethod
    def _sorted_breaks(cls, value: list[VolumeBreak]) -> list[VolumeBreak]:
        breaks = sorted(value, key=lambda b: b.min_qty)
        if len({b.min_qty for b in breaks}) != len(breaks):
            raise ValueError("volume breaks must have distinct min_qty")
        return breaks

    @classmethod
    def load_default(cls) -> Self:
        """The demo policy from `tools/demo_data/pricing.json`."""
        text = (DEMO_DATA / "pricing.json").read_text(encoding="utf-8")
        return cls.model_validate(json.loads(text))

    def tier_rate(self, tier: str) -> Decimal:
        """The discount of `tier` (case-insensitive); UnknownTierError names it and the known ones."""
        try:
            return self.tier_discounts[tier.strip().lower()]
        except KeyError:
            known = ", ".join(sorted(self.tier_discounts))
            raise UnknownTierError(f"unknown customer tier {tier!r}; known tiers: {known}") from None

    def volume_rate(self, quantity: int) -> Decimal:
        """The discount of the highest break whose `min_qty` is at most `quantity`, else 0."""
        rate = Decimal(0)
        for brk in self.volume_breaks:  # sorted ascending by the validator
            if brk.min_qty > quantity:
                break
            rate = brk.discount
        return rate


class LineInput(BaseModel):
    """One requested line: a catalog product, how many, and its list price before IVA."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64, description="catalog SKU, e.g. PVC-TUB-050-6M")
    name: str = Field(min_length=1, max_length=200, description="product name as shown to the customer")
    quantity: int = Field(gt=0, description="units on this line")
    list_price: Decimal = Field(
        ge=0, decimal_places=2, description="catalog list price per unit in MXN before IVA, in centavos"
    )


class QuoteLine(BaseModel):
    """A priced line: `list_amount - tier_discount_amount - volume_discount_amount == net`, `net + tax == gross`."""

    model_config = ConfigDict(frozen=True)

    sku: str
    name: str
    quantity: int
    unit_list_price: Decimal
    list_amount: Money
    tier_discount_rate: Decimal
    tier_discount_amount: Money
    volume_discount_rate: Decimal
    volume_discount_amount: Money
    net: Money
    tax: Money
    gross: Money


class Quote(BaseModel):
    """A priced order: its lines and totals (sums of the rounded lines) in MXN."""

    model_config = ConfigDict(frozen=True)

    lines: list[QuoteLine] = Field(min_length=1)
    net: Money
    tax: Money
    gross: Money
    currency: Literal["MXN"] = "MXN"
    tier: str
    iva_rate: Decimal

    @model_validator(mode="after")
    def _totals_are_line_sums(self) -> Self:
        # A stored or hand-built quote whose totals drift from its lines must not be trusted.
        for total in ("net", "tax", "gross"):
            if getattr(self, total) != sum((getattr(line, total) for line in self.lines), ZERO):
                raise ValueError(f"quote {total} is not the sum of its lines")
        return self


def _price_line(line: LineInput, *, tier_rate: Decimal, volume_rate: Decimal, iva_rate: Decimal) -> QuoteLine:
    list_exact = line.list_price * line.quantity
    tier_exact = list_exact * tier_rate
    net_exact = (list_exact - tier_exact) * (1 - volume_rate)

    list_amount = to_centavos(list_exact)  # exact: list prices are whole centavos
    net = to_centavos(net_exact)
    tax = to_centavos(net_exact * iva_rate)
    discount = list_amount - net
    # The tier discount is rounded on its own (what a customer checks by hand) and the volume
    # discount takes the remainder, so list - tier - volume == net exactly. With centavo list
    # prices the remainder is never negative when volume_rate > 0 (ties of the tier amount are
    # pushed past by the volume part); with volume_rate == 0 all of it is the tier's.
    tier_amount = to_centavos(tier_exact) if volume_rate else discount
    return QuoteLine(
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        unit_list_price=line.list_price,
        list_amount=list_amount,
        tier_discount_rate=tier_rate,
        tier_discount_amount=tier_amount,
        volume_discount_rate=volume_rate,
        volume_discount_amount=discount - tier_amount,
        net=net,
        tax=tax,
        # Not round(net_exact * 1.16): the invoice shows net and IVA, and the customer pays their sum.
        gross=net + tax,
    )


def quote(lines: Sequence[LineInput], *, tier: str, policy: PricingPolicy) -> Quote:
    """Price `lines` for a customer of `tier`; ValueError for no lines or an unknown tier."""
    if not lines:
        raise ValueError("a quote needs at least one line")
    tier_rate = policy.tier_rate(tier)
    with localcontext(_EXACT):
        priced = [
            _price_line(
                line,
                tier_rate=tier_rate,
                volume_rate=policy.volume_rate(line.quantity),
                iva_rate=policy.iva_rate,
            )
            for line in lines
        ]
        return Quote(
            lines=priced,
            net=sum((p.net for p in priced), ZERO),
            tax=sum((p.tax for p in priced), ZERO),
            gross=sum((p.gross for p in priced), ZERO),
            tier=tier.strip().lower(),
            iva_rate=policy.iva_rate,
        )


class PriceQuoteArgs(BaseModel):
    """Arguments of the `price_quote` tool."""

    model_config = ConfigDict(extra="forbid")

    lines: list[LineInput] = Field(min_length=1, description="the products to price, one line per SKU")
    tier: str = Field(min_length=1, description="the customer's pricing tier from their customer record")


def _describe_invalid_args(exc: Exception) -> str:
    # The model only learns what to fix if the message names the fields.
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return f"invalid arguments: {exc}"
    return "invalid arguments: " + "; ".join(
        f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in errors()
    )


def make_pricing_tools(policy: PricingPolicy) -> list[BaseTool]:
    """LangChain tools over `quote` for one tenant's policy: today only `price_quote`."""

    def price_quote(lines: list[LineInput], tier: str) -> dict[str, Any]:
        try:
            result = quote([LineInput.model_validate(line) for line in lines], tier=tier, policy=policy)
        except ValueError as exc:
            # A ToolException goes back to the model as text, so it can correct the tier and retry.
            raise ToolException(str(exc)) from exc
        return result.model_dump(mode="json")

    tiers = ", ".join(sorted(policy.tier_discounts))
    description = (
        "Price a quote in MXN: applies the customer's tier discount, volume discounts per line "
        f"and IVA {policy.iva_rate * 100:.0f}%, rounded to centavos. Take each list_price from "
        f"the catalog, never from the conversation. Tiers: {tiers}."
    )
    return [
        StructuredTool.from_function(
            func=price_quote,
            name="price_quote",
            description=description,
            args_schema=PriceQuoteArgs,
            handle_tool_error=True,
            handle_validation_error=_describe_invalid_args,
        )
    ]
