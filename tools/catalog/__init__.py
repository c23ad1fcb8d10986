"""A tenant's product catalog: JSON documents in Redis and a Query Engine index tuned for WhatsApp Spanish.

`parse_query` turns a customer's message ("nesesito 10 tuvos pvc de 1/2") into search
terms and measures; `Catalog.search` runs a short cascade of queries built from those
words only, so user text never reaches the query syntax.

- `models`: the `Product` record, the error for a missing one, and the demo catalog;
- `text`: reading the customer's words (normalize, sound keys, measures, `parse_query`);
- `index`: the index schema, the derived `_search` fields and the queries run against them;
- `store`: `Catalog`, one tenant's products in Redis (its keys, search cascade and stock).
"""

from tools.catalog.models import DEMO_DATA, Product, ProductNotFoundError, demo_products
from tools.catalog.store import MAX_LIMIT, Catalog, Resolution, holds, selling_unit
from tools.catalog.text import ParsedQuery, canonical_measure, normalize, parse_query, phonetic_key

__all__ = [
    "DEMO_DATA",
    "MAX_LIMIT",
    "Catalog",
    "ParsedQuery",
    "Product",
    "ProductNotFoundError",
    "Resolution",
    "canonical_measure",
    "demo_products",
    "holds",
    "normalize",
    "parse_query",
    "phonetic_key",
    "selling_unit",
]
