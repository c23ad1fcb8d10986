"""Typos fixed against the reader's own vocabulary: "meor que sean 30 copls" reads "mejor que sean 30 coples".

The vocabulary is every word the rules read: the words each cue pattern of the reader's modules
can match, and the words of their tables (numbers, units, materials, English product words), with
the trade's words (the demo catalog's names, brands and tags). A
token outside it that no Spanish or English word list knows ("tngo", "cdos", "galvanzado") becomes
the vocabulary word one edit away (two for long words) or spelt the same by ear ("nesesito"); a
tie with no sound or frequency to tell the words apart is left as written. Real words are never
changed: "todos" stays "todos" although "codos" is one letter away.

The word lists are `known_words.txt.gz`: the Spanish (Zipf frequency >= 2.5) and English (>= 2.8)
words of four letters or more from wordfreq's large lists, accents folded, with their frequency.
A snapshot, so the service carries 320 KB instead of wordfreq's 57 MB; rebuild it with
`pip install wordfreq && python -m graph.understanding.spelling`.
"""

from __future__ import annotations

import functools
import gzip
import re
import re._constants as _op  # the regex parser (private, unchanged since 3.11, our oldest Python):
import re._parser as _sre  # a cue pattern's words are read from its parse tree
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.locale import fold_accents
from tools.catalog.models import demo_products
from tools.catalog.text import phonetic_key

_MIN_LENGTH = 4  # shorter tokens are too close to too many words ("de", "del", "dl")
_LONG = 8  # from this length two edits are still one word ("transsferir", "cistternas")
_SOUND_EDITS = 2  # a word spelt by ear is still at most this many edits away
_MAX_STRINGS = 4096  # a pattern's alternatives are enumerated up to this many strings
_GAP = "\0"  # where a pattern matches something other than letters ("\d+", "\w*"): a word ends
_WORD = re.compile(r"[a-z]+")
_WORDS_FILE = Path(__file__).with_name("known_words.txt.gz")
_THRESHOLDS = {"es": 2.5, "en": 2.8}  # below these wordfreq's lists hold typos too ("tngo" 2.1, "meor" 1.5)


def _read_known() -> dict[str, float]:
    with gzip.open(_WORDS_FILE, "rt", encoding="utf-8") as lines:
        return {word: float(zipf) for word, zipf in (line.split() for line in lines)}


# Read at import, never inside a turn (a file read on the event loop blocks it).
_KNOWN = _read_known()
# The trade's own words, from the demo catalog: the nouns, brands and kinds a buyer's typo is most often of.
_TRADE = frozenset(word for p in demo_products()
                   for word in _WORD.findall(fold_accents(" ".join([p.name, p.brand, *p.tags]))))


def _strings(tokens: Any) -> set[str]:
    """Every string a parsed pattern matches, with non-letter parts as gaps; capped at `_MAX_STRINGS`."""
    out = {""}
    for op, arg in tokens:
        if op is _op.LITERAL:
            options = {chr(arg)}
        elif op is _op.IN:
            chars = [chr(a) for o, a in arg if o is _op.LITERAL]
            options = set(chars) if len(chars) == len(arg) and not any(o is _op.NEGATE for o, _ in arg) else {_GAP}
        elif op is _op.BRANCH:
            options = set().union(*(_strings(branch) for branch in arg[1]))
        elif op is _op.SUBPATTERN:
            options = _strings(arg[-1])
        elif op in (_op.MAX_REPEAT, _op.MIN_REPEAT):
            low, high, item = arg
            inner = _strings(item)
            options = (inner | ({""} if low == 0 else set())) if high <= 1 else {_GAP}
        elif op in (_op.AT, _op.ASSERT, _op.ASSERT_NOT, _op.GROUPREF):
            options = {""}
        elif op in (_op.ANY, _op.CATEGORY, _op.NOT_LITERAL):
            options = {" "} if op is _op.CATEGORY and str(arg).endswith("SPACE") else {_GAP}
        else:
            options = {_GAP}
        out = {a + b for a in out for b in options}
        if len(out) > _MAX_STRINGS:
            return {_GAP.join(out)}  # too many combinations: their words still count, joined by gaps
    return out


def pattern_words(pattern: re.Pattern[str]) -> set[str]:
    """The words (letters only) that `pattern` can match."""
    strings = _strings(_sre.parse(pattern.pattern))
    return {w for s in strings for w in _WORD.findall(s)}


def _table_words(value: Any) -> Iterator[str]:
    if isinstance(value, str):  # a regex source in a table (r"\bhammer"): its escapes are no letters
        yield from _WORD.findall(re.sub(r"\\[a-zA-Z]", " ", value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _table_words(key)
            yield from _table_words(item)
    elif isinstance(value, frozenset | set | tuple | list):
        for item in value:
            yield from _table_words(item)
    elif isinstance(value, re.Pattern):
        yield from pattern_words(value)


def vocabulary_of(modules: Iterable[ModuleType]) -> frozenset[str]:
    """Every word the modules' patterns and word tables hold (their upper-case module-level names)."""
    words: set[str] = set()
    for module in modules:
        for name, value in vars(module).items():
            if name.lstrip("_").isupper():
                words.update(_table_words(value))
    return frozenset(w for w in words if len(w) >= 2)


def vocabulary() -> frozenset[str]:
    """Every word the reader reads (built once, when first asked; `rules` asks at import)."""
    return _vocabulary()[0]


@functools.cache
def _vocabulary() -> tuple[frozenset[str], dict[str, list[str]], list[str]]:
    # Built once every reader module is imported; pure CPU, no I/O.
    names = ("graph.understanding.lexicon", "graph.understanding.lines", "graph.understanding.acts",
             "graph.understanding.details", "graph.understanding.rules", "graph.understanding.dates",
             "tools.catalog.text")
    words = vocabulary_of(sys.modules[n] for n in names if n in sys.modules) | _TRADE
    by_sound: dict[str, list[str]] = {}
    for word in sorted(words):
        if len(word) >= _MIN_LENGTH:
            by_sound.setdefault(phonetic_key(word), []).append(word)
    return words, by_sound, sorted(w for w in words if len(w) >= _MIN_LENGTH - 1)


def _frequency(word: str) -> float:
    return _KNOWN.get(word, 0.0)


def known(word: str) -> bool:
    """Whether `word` is the reader's or a real Spanish or English word (so never corrected)."""
    words = vocabulary()
    # a plural of a word the reader knows is no typo of it ("pichanchas", "cementos")
    stems = [word, word[:-1], word[:-2]] if word.endswith("s") else [word]
    # nor a verb with its pronouns ("sepárame", "pásamelos"): the word lists hold few such forms
    stems += [word[:-len(c)] for c in _CLITICS if word.endswith(c) and len(word) - len(c) >= 4]
    return word in _KNOWN or any(stem in words or stem in _KNOWN for stem in stems)


_CLITICS = ("melos", "melas", "selos", "selas", "noslos", "melo", "mela", "selo", "sela", "me", "te", "le", "les",
            "nos", "lo", "la", "los", "las")


@functools.lru_cache(maxsize=8192)
def correct(token: str) -> str:
    """`token` spelt as the reader's vocabulary spells it, when it is a typo of one word of it; else unchanged."""
    if len(token) < _MIN_LENGTH or not token.isalpha() or known(token):
        return token
    _, by_sound, words = _vocabulary()
    limit = 2 if len(token) >= _LONG else 1
    near = {word: int(d) for word, d, _ in process.extract(token, words, scorer=OSA.distance, score_cutoff=limit,
                                                           limit=10)}
    sound = phonetic_key(token)
    for word in by_sound.get(sound, ()):  # "nesesito": two letters off, one word by ear
        if (d := OSA.distance(token, word)) <= _SOUND_EDITS:
            near[word] = d
    if not near:
        return token
    # A word spelt by ear beats a nearer one that sounds otherwise ("royos": rollos, not rotos).
    by_ear = {w: d for w, d in near.items() if phonetic_key(w) == sound}
    near = by_ear or near
    best = min(near.values())
    nearest = sorted(w for w, d in near.items() if d == best)
    # Ties, in order: the word that sounds the same; a letter dropped, the commonest slip ("meor":
    # mejor, not mero; "cobe": cobre, not come); the same letters swapped ("metrso": metros, not
    # metro); the same first letter; the one as long ("codoz": codos); a word of the trade; a far
    # commoner word.
    top = max(_frequency(w) for w in nearest)
    for keep in (lambda w: phonetic_key(w) == sound, lambda w: _dropped_one(token, w),
                 lambda w: sorted(w) == sorted(token), lambda w: w[0] == token[0],
                 lambda w: len(w) == len(token), lambda w: w in _TRADE, lambda w: _frequency(w) > top - 1):
        if len(nearest) > 1:
            nearest = [w for w in nearest if keep(w)] or nearest
    if len(nearest) > 1 and len({phonetic_key(w) for w in nearest}) > 1:
        ranked = sorted(nearest, key=_frequency, reverse=True)
        if _frequency(ranked[0]) - _frequency(ranked[1]) < 0.5:
            return token  # "cuato": cuanto or cuarto? nothing tells; the catalog's own fuzzy search may
        nearest = ranked
    return nearest[0]


def _dropped_one(token: str, word: str) -> bool:
    """Whether `token` is `word` with one letter left out."""
    return len(word) == len(token) + 1 and any(word[:i] + word[i + 1:] == token for i in range(len(word)))


def write_known_words(path: Path = _WORDS_FILE) -> int:
    """Rebuild the word lists from wordfreq (a development step); returns how many words were written."""
    from wordfreq import iter_wordlist, zipf_frequency  # not a dependency of the service

    words: dict[str, float] = {}
    for language, threshold in _THRESHOLDS.items():
        for word in iter_wordlist(language, "large"):
            zipf = zipf_frequency(word, language, wordlist="large")
            if zipf < threshold:
                break
            folded = fold_accents(word)
            if len(folded) >= _MIN_LENGTH and folded.isascii() and folded.isalpha():
                words[folded] = max(words.get(folded, 0.0), zipf)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
        out.writelines(f"{w} {z:.1f}\n" for w, z in sorted(words.items()))
    return len(words)


if __name__ == "__main__":
    print(f"{write_known_words()} words written to {_WORDS_FILE}")
