"""Plays the labelled buyer dialogs of `tests/data/dialogs/` through the real API and checks each one.

A dialog (see the YAML files) is a customer and a list of turns: what the buyer says, or what an
operator does (`operator: approve|reject`). Its expectations are checked after a turn (`expect`
on the turn) and after the last one: the confirmed order's lines, the open draft, properties of
the reply (compared lowercase without accents), a hand-off event, the language, a paused
approval, a recorded promise. Each dialog runs on a tenant of its own, freshly seeded.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import yaml
from redis.asyncio import Redis

from core.locale import fold_accents
from core.redis import as_text
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tools.accounts import Accounts
from tools.catalog.models import demo_products
from tools.orders import Orders
from tools.seed import seed_demo

DIALOGS = Path(__file__).resolve().parents[1] / "data" / "dialogs"
# Words only a Spanish reply uses; an English reply has none of them.
# Product names stay as the catalog writes them (Spanish), so only words our own sentences use count.
_SPANISH_MARKERS = re.compile(r"tu pedido|¿|¡|\b(?:gracias|piezas?|tramos?|confirmo|te|que|por|para|tu|con)\b")


_PRODUCT_NAMES = sorted((p.name.lower() for p in demo_products()), key=len, reverse=True)


def load(split: str) -> list[dict[str, Any]]:
    """The dialogs of one split: `tuning` or `held_out`."""
    return yaml.safe_load((DIALOGS / f"{split}.yaml").read_text(encoding="utf-8"))


def fold(text: str | None) -> str:
    return fold_accents((text or "").lower())


@dataclass
class Outcome:
    """How one dialog went: the first expectation that failed (None: it passed) and the transcript."""

    dialog_id: str
    failure: str | None = None
    transcript: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.failure is None


def _lines(lines: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return sorted((str(ln["sku"]), int(ln["quantity"]), int(ln.get("backorder") or 0)) for ln in lines)


class DialogRunner:
    """Runs dialogs against a served app; `redis` is the same server, read for orders and events."""

    def __init__(self, http: httpx.AsyncClient, redis: Redis) -> None:
        self.http = http
        self.redis = redis
        self.tenants = TenantStore(redis)

    async def run_all(self, dialogs: list[dict[str, Any]], *, concurrency: int = 4) -> list[Outcome]:
        """Every dialog, a few at a time (each has a tenant of its own), outcomes in the dialogs' order."""
        gate = asyncio.Semaphore(concurrency)

        async def one(number: int, dialog: dict[str, Any]) -> Outcome:
            async with gate:
                return await self.run(number, dialog)

        return list(await asyncio.gather(*(one(n, d) for n, d in enumerate(dialogs))))

    async def run(self, number: int, dialog: dict[str, Any]) -> Outcome:
        outcome = Outcome(dialog["id"])
        tenant = f"dlg-{number:03d}"
        key = f"{tenant}-key-0123456789abcdef"
        await seed_demo(self.redis, tenant)
        await self.tenants.add(tenant, api_key=key)
        headers = {"X-API-Key": key}
        customer = dialog["customer"]
        conversation = f"dialog-{number:03d}"
        last: dict[str, Any] = {}
        order_ids: list[str] = []
        try:
            for turn in dialog["turns"]:
                if "operator" in turn:
                    response = await self.http.post(f"/v1/conversations/{conversation}/approval", headers=headers,
                                                    json={"approved": turn["operator"] == "approve", "by": "ana"})
                    outcome.transcript.append(f"  [operator {turn['operator']}] -> {response.status_code}")
                else:
                    response = await self.http.post("/v1/chat", headers=headers, json={
                        "customer_id": customer, "text": turn["say"], "conversation_id": conversation})
                    outcome.transcript.append(f"  > {turn['say']}")
                if response.status_code != 200:
                    raise AssertionError(f"HTTP {response.status_code}: {response.text[:300]}")
                last = response.json()
                outcome.transcript.append("  < " + (last.get("reply") or "").replace("\n", "\n    "))
                if (last.get("state") or {}).get("order"):
                    order_id = last["state"]["order"].get("order_id")
                    if order_id and order_id not in order_ids:
                        order_ids.append(order_id)
                self._check_reply(turn.get("expect") or {}, last, order_ids, where=f"after {turn}")
            await self._check_end(dialog.get("expect") or {}, last, tenant, customer, order_ids)
        except AssertionError as exc:
            outcome.failure = str(exc)
        return outcome

    def _check_reply(self, expect: dict[str, Any], result: dict[str, Any], order_ids: list[str], *, where: str) -> None:
        reply = fold(result.get("reply"))
        order_id = fold(order_ids[-1]) if order_ids else "{order_id}"

        def sub(text: str) -> str:
            return fold(text).replace("{order_id}", order_id)

        for text in expect.get("reply_has", []):
            assert sub(text) in reply, f"{where}: reply lacks {text!r}"
        if any_of := expect.get("reply_has_any"):
            assert any(sub(t) in reply for t in any_of), f"{where}: reply has none of {any_of}"
        for text in expect.get("reply_lacks", []):
            assert sub(text) not in reply, f"{where}: reply has {text!r}"
        if "draft" in expect:
            cart = (result.get("state") or {}).get("cart") or []
            wanted = _lines(expect["draft"])
            assert _lines(cart) == wanted, f"{where}: draft {_lines(cart)} != {wanted}"
        if expect.get("language") == "en":
            text = (result.get("reply") or "").lower()
            for name in _PRODUCT_NAMES:  # "Contacto con protección GFCI" is the catalog's, not our sentence
                text = text.replace(name, " ")
            markers = _SPANISH_MARKERS.findall(text)
            assert not markers, f"{where}: reply not in English ({markers})"

    async def _check_end(self, expect: dict[str, Any], result: dict[str, Any], tenant: str, customer: str,
                         order_ids: list[str]) -> None:
        self._check_reply(expect, result, order_ids, where="at the end")
        orders = await Orders(self.redis, tenant).for_customer(customer, limit=20)
        if "order" in expect:
            assert orders, "no order was created"
            got = _lines([line.model_dump() for line in orders[0].lines])
            assert got == _lines(expect["order"]), f"order {got} != {_lines(expect['order'])}"
        if expect.get("no_order"):
            assert not orders, f"an order was created: {[o.order_id for o in orders]}"
        if "handoff" in expect:
            handoff = bool(expect["handoff"])
            assert await self._handoffs(tenant) == handoff, f"hand-off requested: {not handoff}"
        if "awaiting_approval" in expect:
            waiting = (result.get("state") or {}).get("pending") == "awaiting_approval" and result.get("interrupt")
            assert bool(waiting) == bool(expect["awaiting_approval"]), "awaiting approval differs"
        if promise := expect.get("promise"):
            recorded = await Accounts(self.redis, tenant).promises(customer)
            assert recorded, "no promise recorded"
            latest = recorded[-1]
            if "amount" in promise:
                assert latest.amount == Decimal(str(promise["amount"])), f"promise amount {latest.amount}"
            if "date" in promise:
                assert str(latest.promised_date) == str(promise["date"]), f"promise date {latest.promised_date}"

    async def _handoffs(self, tenant: str) -> bool:
        entries = await self.redis.xrange(TenantKeys(tenant).events)
        return any(re.search(rb'"intent":\s*"handoff_requested"', raw)
                   for _, fields in entries for raw in (v if isinstance(v, bytes) else as_text(v).encode()
                                                        for v in fields.values()))
