"""The catalog's product record, the error for a missing one, and the demo catalog it loads."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_serializer

# In `tools/`, beside this package, rather than importlib.resources: an editable install made while
# `tools` had no __init__.py imports it as a namespace package, which `resources.files` cannot read from.
DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"


class ProductNotFoundError(LookupError):
    """No product with this SKU in the tenant's catalog."""


class Product(BaseModel):
    """A catalog product, as in `tools/demo_data/catalog.json`; prices in MXN before IVA."""

    # `extra="ignore"` drops the derived `_search` object stored beside the product.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=64, pattern=r"^\S+$")
    name: str = Field(min_length=1, max_length=300)
    category: str
    brand: str
    unit: str
    list_price: Decimal = Field(ge=0, decimal_places=2)
    # Not `ge=0`: adjust_stock may take it below zero (a backorder), and reads must still work.
    stock: int
    reorder_point: int = Field(ge=0)
    lead_time_days: int = Field(ge=0)
    supplier_id: str
    measure: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_serializer("list_price", when_used="json")
    def _price_as_centavos(self, value: Decimal) -> str:
        return f"{value:.2f}"


def demo_products() -> list[Product]:
    """The demo catalog of `tools/demo_data/catalog.json`."""
    text = (DEMO_DATA / "catalog.json").read_text(encoding="utf-8")
    return [Product.model_validate(item) for item in json.loads(text)]
