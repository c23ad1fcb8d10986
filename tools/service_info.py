"""A tenant's service info: the hours, delivery, address, invoicing and bank details buyers ask about.

One RedisJSON document at `ork:{tenant}:service-info`, set by the tenant (`orkesta tenant info set`);
until it is set, `ServiceInfoStore.get` answers neutral texts that promise nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from redis.asyncio import Redis

from core.tenants import TenantKeys
from tools.pricing import Money

_CLABE_WEIGHTS = (3, 7, 1)

NonNegativeMoney = Annotated[Money, Field(ge=0)]


def clabe_check_digit(first17: str) -> int:
    """The 18th digit of a CLABE: weights 3, 7, 1 over the first 17 digits, (10 - sum mod 10) mod 10."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"a CLABE check digit needs 17 digits, got {first17!r}")
    total = sum(int(d) * _CLABE_WEIGHTS[i % 3] for i, d in enumerate(first17))
    return (10 - total % 10) % 10


def _valid_clabe(value: str) -> str:
    if len(value) != 18 or not value.isascii() or not value.isdigit():
        raise ValueError(f"a CLABE is exactly 18 digits, got {value!r}")
    expected = clabe_check_digit(value[:17])
    if int(value[17]) != expected:
        raise ValueError(f"CLABE {value} fails its check digit: the last digit should be {expected}")
    return value


#: An interbank account number (CLABE): 18 digits whose last one checks the other 17.
Clabe = Annotated[str, AfterValidator(_valid_clabe)]


class Localized(BaseModel):
    """One answer in Spanish and English."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    es: str = Field(min_length=1, max_length=1000)
    en: str = Field(min_length=1, max_length=1000)


class BankDetails(BaseModel):
    """Where a customer pays by transfer (SPEI)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    bank: str = Field(min_length=1, max_length=100)
    holder: str = Field(min_length=1, max_length=200)
    clabe: Clabe
    reference_hint: Localized | None = None


class ServiceInfo(BaseModel):
    """What a buyer asks every day, as the tenant wants it answered; money in MXN."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hours: Localized
    delivery: Localized
    address: Localized
    invoicing: Localized
    bank: BankDetails | None = None
    delivery_fee: NonNegativeMoney = Decimal("0.00")
    free_delivery_from: NonNegativeMoney | None = None


def default_service_info() -> ServiceInfo:
    """What a tenant that set nothing answers: true for any distributor, committing to nothing."""
    return ServiceInfo(
        hours=Localized(es="Un asesor te confirma nuestro horario de atención.",
                        en="An adviser will confirm our business hours."),
        delivery=Localized(es="Un asesor te confirma el tiempo y el costo de entrega a tu zona.",
                           en="An adviser will confirm delivery time and cost to your area."),
        address=Localized(es="Un asesor te comparte nuestra dirección.",
                          en="An adviser will share our address."),
        invoicing=Localized(es="Un asesor te indica qué datos necesitamos para facturar.",
                            en="An adviser will tell you what details we need to invoice."),
    )


def demo_service_info() -> ServiceInfo:
    """The demo distributor's answers (what `orkesta seed` writes)."""
    return ServiceInfo(
        hours=Localized(es="lunes a viernes de 8:00 a 18:00 y sábados de 9:00 a 14:00",
                        en="Monday to Friday 8:00 to 18:00 and Saturdays 9:00 to 14:00"),
        delivery=Localized(
            es="Entregamos al día hábil siguiente en la zona metropolitana; "
               "envío sin costo desde $3,000 antes de IVA, si no $150.",
            en="We deliver the next business day in the metropolitan area; "
               "free delivery from $3,000 before VAT, otherwise $150."),
        address=Localized(es="Av. Central 123, Col. Industrial Vallejo, CDMX",
                          en="Av. Central 123, Col. Industrial Vallejo, Mexico City"),
        invoicing=Localized(
            es="Facturamos cada pedido: mándanos RFC, razón social, régimen fiscal y uso de CFDI.",
            en="We invoice every order: send us your RFC (tax id), legal name, tax regime and CFDI use."),
        # The CLABE given for the demo (…455) fails its check digit; …451 is the one valid last digit.
        bank=BankDetails(bank="BBVA", holder="Ferretería Orkesta Demo S.A. de C.V.", clabe="012180001122334451"),
        delivery_fee=Decimal("150"),
        free_delivery_from=Decimal("3000"),
    )


class ServiceInfoStore:
    """One tenant's service info in Redis."""

    def __init__(self, redis: Redis, tenant: str) -> None:
        self._redis = redis
        self.key = TenantKeys(tenant).key("service-info")  # validates the tenant id

    async def stored(self) -> ServiceInfo | None:
        """What the tenant set, or None if it never set anything."""
        doc = await self._redis.json().get(self.key)
        return None if doc is None else ServiceInfo.model_validate(doc)

    async def get(self) -> ServiceInfo:
        """The tenant's service info, or the neutral defaults when it set none."""
        return await self.stored() or default_service_info()

    async def set(self, info: ServiceInfo) -> None:
        """Replace the tenant's service info."""
        await self._redis.json().set(self.key, "$", _document(info))

    async def set_if_absent(self, info: ServiceInfo) -> bool:
        """Store `info` only if the tenant has none (one atomic step); True if stored."""
        return bool(await self._redis.json().set(self.key, "$", _document(info), nx=True))


def _document(info: ServiceInfo) -> dict[str, object]:
    # Revalidated: `model_copy(update=...)` skips validation, and a bad stored document would fail every read.
    return ServiceInfo.model_validate(info.model_dump()).model_dump(mode="json")


__all__ = [
    "BankDetails", "Clabe", "Localized", "ServiceInfo", "ServiceInfoStore", "clabe_check_digit",
    "default_service_info", "demo_service_info",
]
