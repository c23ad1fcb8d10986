"""Service info as a model: the CLABE check digit, bounded bilingual texts, money in MXN."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from tools.service_info import BankDetails, Localized, ServiceInfo, clabe_check_digit, demo_service_info


def bank(clabe: str) -> BankDetails:
    return BankDetails(bank="BBVA", holder="Ferretería Demo", clabe=clabe)


@pytest.mark.parametrize("clabe", [
    "032180000118359719",  # the worked example of the CLABE standard's public descriptions
    "002010077777777771",
    "012180001122334451",  # the demo's
])
def test_published_clabes_pass_their_check_digit(clabe: str) -> None:
    assert clabe_check_digit(clabe[:17]) == int(clabe[17])
    assert bank(clabe).clabe == clabe


def test_the_clabe_given_for_the_demo_fails_and_only_its_last_digit_differs() -> None:
    with pytest.raises(ValidationError, match="last digit should be 1"):
        bank("012180001122334455")
    demo = demo_service_info().bank
    assert demo is not None and demo.clabe == "012180001122334451"
    assert (demo.bank, demo.holder) == ("BBVA", "Ferretería Orkesta Demo S.A. de C.V.")


@pytest.mark.parametrize("clabe", ["01218000112233445", "0121800011223344511", "01218000112233445a",
                                   "０１２１８０００１１２２３３４４５１", " 012180001122334451x"])
def test_a_clabe_is_exactly_eighteen_ascii_digits(clabe: str) -> None:
    with pytest.raises(ValidationError, match="exactly 18 digits"):
        bank(clabe)


def test_texts_are_non_empty_and_bounded() -> None:
    with pytest.raises(ValidationError, match="es"):
        Localized(es="   ", en="hours")
    with pytest.raises(ValidationError, match="en"):
        Localized(es="horario", en="x" * 1001)
    assert Localized(es=" horario ", en="x" * 1000).es == "horario"


def test_money_is_non_negative_centavos_and_unknown_fields_are_refused() -> None:
    info = demo_service_info()
    doc = info.model_dump(mode="json")
    assert (doc["delivery_fee"], doc["free_delivery_from"]) == ("150.00", "3000.00")
    assert ServiceInfo.model_validate(doc) == info
    with pytest.raises(ValidationError, match="delivery_fee"):
        ServiceInfo.model_validate(doc | {"delivery_fee": "-1"})
    with pytest.raises(ValidationError, match="opening_hours"):  # a typo in a file is named, not ignored
        ServiceInfo.model_validate(doc | {"opening_hours": doc["hours"]})
    assert ServiceInfo.model_validate(doc | {"bank": None, "free_delivery_from": None}).delivery_fee == Decimal("150")
