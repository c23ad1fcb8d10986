"""When and how much a customer promises to pay, read from Mexican Spanish ("el lunes les deposito 5 mil").

Relative dates resolve against an explicit `today` (the caller's clock, in the tenant's time zone),
so the same text always gives the same date in tests and in replays.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from graph.understanding.lexicon import NUMBER_WORDS, normalize, read_number_words

WEEKDAYS: dict[str, int] = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5, "domingo": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
MONTHS: dict[str, int] = {
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4, "abr": 4, "mayo": 5,
    "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8, "septiembre": 9,
    "setiembre": 9, "sept": 9, "sep": 9, "set": 9, "octubre": 10, "oct": 10, "noviembre": 11, "nov": 11,
    "diciembre": 12, "dic": 12, "january": 1, "february": 2, "march": 3, "april": 4, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_CENTS = Decimal("0.01")
_DAY_NAMES = "|".join(WEEKDAYS)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# Sizes customers write as fractions; "1/2" is half an inch, not the 1st of February.
_FRACTION_DENOMINATORS = frozenset({2, 4, 8, 16, 32, 64})
# "hoy no", "el lunes tampoco": a date the customer rules out is no promise.
_NEGATED = re.compile(r"\s+(?:no|tampoco|nel)\b")  # used with .match(text, pos)

Resolver = Callable[[re.Match[str], date], date | None]


def parse_promise(text: str, *, today: date) -> tuple[date | None, Decimal | None]:
    """The first promised date and amount in `text`, or None for each that is absent."""
    norm = normalize(text)
    return find_promised_date(norm, today=today), find_amount(norm)


# --- calendar helpers -------------------------------------------------------------------------


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _clamped(year: int, month: int, day: int) -> date:
    """The `day` of that month, or its last day when the month is shorter ("el 31" in November)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return _clamped(index // 12, index % 12 + 1, day.day)


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


# --- date resolvers ---------------------------------------------------------------------------


def _weekday(match: re.Match[str], today: date) -> date:
    """"el viernes" is the next Friday (a week ahead when today is Friday); "este viernes" may be today."""
    weekday = WEEKDAYS[match["day"]]
    before, after = match["pre"] or "", match["post"] or ""
    if "semana" in after or before == "el otro":
        return _next_monday(today) + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7
    if before in ("este", "esta", "this"):
        return today + timedelta(days=ahead)
    return today + timedelta(days=ahead or 7)


def _weekend(_: re.Match[str], today: date) -> date:
    """The coming Saturday, or today when the weekend has started."""
    return today if today.weekday() == 6 else today + timedelta(days=(5 - today.weekday()) % 7)


def _month_end(_: re.Match[str], today: date) -> date:
    """The last day of this month; said on that very day it means next month's."""
    end = _last_day(today.year, today.month)
    if today < end:
        return end
    following = _add_months(today.replace(day=1), 1)
    return _last_day(following.year, following.month)


def _fortnight(_: re.Match[str], today: date) -> date:
    """Mexican paydays are the 15th and the month's last day: the next one after today."""
    middle, end = date(today.year, today.month, 15), _last_day(today.year, today.month)
    if today < middle:
        return middle
    if today < end:
        return end
    return _add_months(middle, 1)


def _in_n(match: re.Match[str], today: date) -> date | None:
    """"en 3 dias", "en una semana", "in 2 weeks"."""
    raw = match["n"]
    n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
    if n is None:
        return None
    unit = match["unit"]
    if unit.startswith(("mes", "month")):
        return _add_months(today, n)
    return today + timedelta(days=n * (7 if unit.startswith(("semana", "week")) else 1))


def _day_month(match: re.Match[str], today: date) -> date | None:
    """"15 de diciembre", "el primero de enero", "december 15": this year, or next if already past."""
    day = 1 if match["d"] == "primero" else int(match["d"])
    month = MONTHS[match["m"]]
    if not 1 <= day <= 31:
        return None
    if match["y"]:
        return _clamped(int(match["y"]), month, day)
    candidate = _clamped(today.year, month, day)
    return candidate if candidate >= today else _clamped(today.year + 1, month, day)


def _slash(match: re.Match[str], today: date) -> date | None:
    """"15/12" is day/month, as written in Mexico; "3/4" stays a size unless said as "el 3/4"."""
    day, month = int(match["d"]), int(match["m"])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if match["y"] is None and not match["el"] and day < month and month in _FRACTION_DENOMINATORS:
        return None
    if match["y"]:
        year = int(match["y"])
        return _clamped(year + 2000 if year < 100 else year, month, day)
    candidate = _clamped(today.year, month, day)
    return candidate if candidate >= today else _clamped(today.year + 1, month, day)


def _day_of_month(match: re.Match[str], today: date) -> date | None:
    """"el 15", "el dia 5", "hasta el 30": that day this month, or next month's if it has passed."""
    day = int(match["d"])
    if not 1 <= day <= 31:
        return None
    if day >= today.day:
        return _clamped(today.year, today.month, day)
    following = _add_months(today.replace(day=1), 1)
    return _clamped(following.year, following.month, day)


_DATES: tuple[tuple[re.Pattern[str], Resolver], ...] = (
    (re.compile(r"\bpasado manana\b|\bday after tomorrow\b"), lambda _, t: t + timedelta(days=2)),
    # "en la mañana" is the morning, not tomorrow.
    (re.compile(r"(?<!la )(?<!pasado )\bmanana\b|\btomorrow\b"), lambda _, t: t + timedelta(days=1)),
    (re.compile(r"\bhoy\b|\btoday\b|\bahorita\b|\bahora mismo\b"), lambda _, t: t),
    (re.compile(rf"(?:\b(?P<pre>este|esta|el proximo|proximo|el siguiente|next|this|el otro)\s+)?"
                rf"\b(?P<day>{_DAY_NAMES})\b(?P<post>\s+(?:de la (?:proxima|otra|siguiente) semana|"
                rf"de la semana que (?:viene|entra)|que viene|que entra))?"), _weekday),
    (re.compile(r"\b(?:(?:el|este) )?fin de semana\b|\bweekend\b"), _weekend),
    (re.compile(r"\b(?:la |a la )?(?:proxima|otra|siguiente) semana\b|\bla semana que (?:viene|entra)\b"
                r"|\bnext week\b"), lambda _, t: _next_monday(t)),
    (re.compile(r"\b(?:a |al |para )?(?:fin|fines|final|finales) (?:de|del) mes\b|\bend of (?:the )?month\b"),
     _month_end),
    (re.compile(r"\b(?:a |en |para )?(?:fin de |la |esta |proxima )?quincena\b"), _fortnight),
    (re.compile(r"\b(?:en|dentro de|in)\s+(?P<n>\d{1,3}|[a-z]+)\s+"
                r"(?P<unit>dias?|semanas?|mes|meses|days?|weeks?|months?)\b"), _in_n),
    (re.compile(rf"\b(?:el\s+)?(?:dia\s+)?(?P<d>\d{{1,2}}|primero)\s+de\s+(?P<m>{_MONTH_NAMES})\b"
                rf"(?:\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"), _day_month),
    (re.compile(rf"\b(?P<m>{_MONTH_NAMES})\s+(?P<d>\d{{1,2}})\b(?!\s*/)(?P<y>)"), _day_month),
    (re.compile(r"(?P<el>\b(?:el|dia|el dia)\s+)?(?<![\w/])(?P<d>\d{1,2})/(?P<m>\d{1,2})"
                r"(?:/(?P<y>\d{4}|\d{2}))?(?![\w/])"), _slash),
    (re.compile(rf"\b(?:el\s+dia|dia|el|the)\s+(?P<d>\d{{1,2}})(?:\s+(?:st|nd|rd|th)\b)?(?![\w/.,])"
                rf"(?!\s*(?:/|de\s+(?:{_MONTH_NAMES})\b|mil\b|pesos\b|k\b|%|\"))"), _day_of_month),
)


def _dates(norm: str, today: date) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for pattern, resolve in _DATES:
        for match in pattern.finditer(norm):
            if _NEGATED.match(norm, match.end()):
                continue
            when = resolve(match, today)
            if when is not None:
                found.append((match.start(), -(match.end() - match.start()), when))
    return sorted(found)


def find_date(norm: str, *, today: date) -> date | None:
    """The earliest date expression in already-normalised text, resolved against `today`."""
    found = _dates(norm, today)
    return found[0][2] if found else None


def find_promised_date(norm: str, *, today: date) -> date | None:
    """The date a payment is promised for: the first one after today ("ahorita andamos cortos… el lunes le
    deposito" is Monday), else the first said."""
    found = _dates(norm, today)
    return next((when for _, _, when in found if when > today), found[0][2] if found else None)


# --- amounts ----------------------------------------------------------------------------------

_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_AMOUNTS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\$\s*{_NUM}(?:\.(?P<f>\d{{1,2}}))?(?:\s*(?P<k>k|mil)\b)?"),
    re.compile(rf"(?<![\w/.,$]){_NUM}(?:\.(?P<f>\d+))?\s*(?P<k>k|mil)(?![\w/])"),
    re.compile(rf"(?<![\w/.,$]){_NUM}(?:\.(?P<f>\d{{1,2}}))?\s*(?:pesos|varos|baros|mxn|mn)\b(?P<k>)"),
    re.compile(r"(?<![\w/.,$])(?P<n>\d{1,3}(?:,\d{3})+)(?:\.(?P<f>\d{1,2}))?(?![\w/])(?P<k>)"),
    re.compile(r"(?<![\w/.,$])(?P<n>\d+)\.(?P<f>\d{2})(?![\w/.])(?P<k>)"),  # "23443.58": centavos make it money
)


def _amount(match: re.Match[str]) -> Decimal | None:
    try:
        value = Decimal(match["n"].replace(",", "") + (f".{match['f']}" if match["f"] else ""))
    except InvalidOperation:
        return None
    if match["k"]:
        value *= 1000
    return value.quantize(_CENTS) if value > 0 else None


def find_amount(norm: str) -> Decimal | None:
    """The earliest money amount in already-normalised text: "$3,500", "5 mil", "cinco mil", "3.5k"."""
    found: list[tuple[int, Decimal]] = []
    for pattern in _AMOUNTS:
        for match in pattern.finditer(norm):
            value = _amount(match)
            if value is not None:
                found.append((match.start(), value))
    # Spelled-out amounts count only with "mil" or "pesos" ("cinco mil"), never a bare "cinco".
    tokens = list(re.finditer(r"\S+", norm))
    words = [t.group() for t in tokens]
    i = 0
    while i < len(words):
        read = read_number_words(words, i)
        if read is None:
            i += 1
            continue
        value, used = read
        after = words[i + used] if i + used < len(words) else ""
        if value > 0 and ("mil" in words[i:i + used] or after in ("pesos", "varos", "baros")):
            found.append((tokens[i].start(), Decimal(value).quantize(_CENTS)))
        i += used
    if not found:
        return None
    found.sort()
    start, value = found[0]
    for later, other in found[1:]:
        if not _TAKEN_BACK.search(norm[start:later]):
            break
        start, value = later, other  # "veinte mil no perdón treinta mil": the amount said instead
    return value


_TAKEN_BACK = re.compile(r"\b(?:no|perdon|digo|mejor|corrijo)\b")
