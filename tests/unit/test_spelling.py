"""The reader's typo fixing: a typo becomes the vocabulary word it misspells; real words and ties stay."""

from __future__ import annotations

import re
from datetime import date

import pytest

from graph.understanding import read_by_rules
from graph.understanding.lexicon import normalize
from graph.understanding.spelling import correct, known, pattern_words


@pytest.mark.parametrize(("typo", "word"), [
    ("meor", "mejor"),  # a letter dropped; "mero" is as near but far rarer
    ("cdos", "codos"),
    ("tarmos", "tramos"),  # two letters swapped
    ("metrso", "metros"),  # a swap keeps the length: not "metro"
    ("covran", "cobran"),  # b and v are one sound
    ("galvanzado", "galvanizado"),
    ("transsferir", "transferir"),
    ("cistternas", "cisternas"),
    ("mndame", "mandame"),
    ("salod", "saldo"),
    ("tngo", "tengo"),
    ("ztock", "stock"),
])
def test_a_typo_becomes_the_word_it_misspells(typo: str, word: str) -> None:
    assert correct(typo) == word


@pytest.mark.parametrize("word", ["todos", "soldar", "cementos", "azotea", "iztapalapa", "outlets", "pichanchas"])
def test_real_words_and_unknown_products_stay_as_written(word: str) -> None:
    # "todos" is one letter from "codos", "soldar" from "solder": real words are never changed
    assert correct(word) == word
    assert known(word)  # "pichanchas": no word list holds it, but the trade's words hold "pichancha"


def test_a_tie_nothing_tells_apart_is_left_alone() -> None:
    assert correct("cuato") == "cuato"  # cuanto or cuarto


def test_short_tokens_and_numbers_are_never_touched() -> None:
    assert [correct(t) for t in ("dl", "pvc", "3/4", "100")] == ["dl", "pvc", "3/4", "100"]


def test_pattern_words_reads_alternatives_and_optional_suffixes() -> None:
    words = pattern_words(re.compile(r"tub(?:o|os|eria)|quita(?:le|me)?|\d+ codos?|(?:les |te )?pago\w*"))
    assert {"tubo", "tubos", "tuberia", "quita", "quitale", "quitame", "codo", "codos", "les", "te"} <= words
    assert "pago" in words  # "\w*" ends the word where the pattern stops spelling it


def test_normalize_fixes_typos_in_a_message() -> None:
    assert normalize("meor que sean 30 copls") == "mejor que sean 30 coples"


def test_a_misspelt_edit_is_still_an_edit() -> None:
    reading = read_by_rules("kitale los cdos porfa", context="awaiting_confirmation", today=date(2026, 11, 25))
    assert [(a.kind, a.target) for a in reading.acts] == [("remove", "codos")]
