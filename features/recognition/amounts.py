"""Money as people type it (`12,500`, `12.5k`, `1.2m`, `€900`) and as SalesMeet shows it.

Amounts are kept as integer hundredths of the currency unit ("cents") so sums are exact.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, list_currencies

from entities.errors import N_, UserError

WIN_EXAMPLE = "/salesmeet win 12,500 Acme renewal"
# Far above any single deal, low enough that sums stay exact in SQLite's 64-bit integers.
MAX_AMOUNT = Decimal("1000000000000")
CENT = Decimal("0.01")

ISO_CODES = frozenset(list_currencies())
# Written in lower case, only these count as a currency: many ISO codes are also words
# ("top", "all", "try", "cup", "mad"), and a note may well start with one.
COMMON_CODES = frozenset(
    {"usd", "eur", "gbp", "inr", "myr", "sgd", "aud", "cad", "jpy", "cny", "hkd", "nzd", "chf"}
    | {"sek", "nok", "dkk", "zar", "aed", "brl", "mxn", "idr", "thb", "krw", "php", "pln"}
)
# `$` alone means the workspace's currency when that is a dollar, else US dollars.
DOLLAR = "$"
DOLLAR_CURRENCIES = frozenset({"USD", "SGD", "AUD", "CAD", "NZD", "HKD", "TWD"})
SYMBOLS = {
    "US$": "USD",
    "S$": "SGD",
    "A$": "AUD",
    "C$": "CAD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "$": DOLLAR,
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "RS.": "INR",
    "RS": "INR",
    "RM": "MYR",
    "¥": "JPY",
}
_SYMBOL = re.compile(
    "^("
    + "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
    + r")\s*(?=[\d.])",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^(?P<sign>[-−+]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suffix>k|m|mn)?$",
    re.IGNORECASE,
)
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "mn": 1_000_000}


def currency_code(word: str) -> str | None:
    """The ISO code a word names, or None: `USD`, `usd`, `MYR`; not `top` or `all`."""
    if len(word) != 3 or not word.isalpha():
        return None
    if word.isupper() and word in ISO_CODES:
        return word
    if word.lower() in COMMON_CODES:
        return word.upper()
    return None


def split_symbol(token: str) -> tuple[str | None, str]:
    """A leading currency symbol (`$`, `€`, `RM`…) and the rest of the token."""
    match = _SYMBOL.match(token)
    if not match:
        return None, token
    return SYMBOLS[match.group(1).upper()], token[match.end() :]


def looks_like_amount(token: str) -> bool:
    """Whether the token is meant as a number (so a bad one gets a precise error)."""
    _, rest = split_symbol(token)
    return bool(re.match(r"^[-−+]?[\d.,]", rest))


def parse_amount(token: str, example: str = WIN_EXAMPLE) -> tuple[int, str | None]:
    """`12,500` → (1250000, None); `€1.2k` → (120000, "EUR"). Raises UserError with an
    example for anything unreadable, zero, negative or absurdly large."""
    symbol, text = split_symbol(token.strip())
    match = _NUMBER.match(text)
    if not match:
        raise UserError(
            N_(
                "I couldn't read “{amount}” as an amount. Write it like `12,500`, `12.5k`,"
                " `1.2m` or `12500.50`, for example `{example}`."
            ),
            "amount",
            amount=token[:40],
            example=example,
        )
    value = Decimal(match.group("num").replace(",", ""))  # the pattern only lets digits in
    value *= _SCALE[(match.group("suffix") or "").lower()]
    cents = (value / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if match.group("sign") in ("-", "−") or cents <= 0:
        raise UserError(
            N_("The amount must be more than zero, like `{example}`."), "amount", example=example
        )
    if value > MAX_AMOUNT:
        raise UserError(
            N_("That amount is too large to be a deal. Write it like `{example}`."),
            "amount",
            example=example,
        )
    return int(cents), symbol


def resolve_currency(code: str | None, default: str) -> str:
    """The currency of a win: as written, `$` read in the workspace's favour, else the default."""
    if code == DOLLAR:
        return default if default in DOLLAR_CURRENCIES else "USD"
    return code or default


def money(cents: int, currency: str, locale: str = "en") -> str:
    """`1250000, "USD"` → `12,500 USD`: the ISO code, never an ambiguous `$`."""
    amount = Decimal(cents) / 100
    try:  # the locale's own digit grouping: 12,50,000 in Hindi and Indian English
        grouping = Locale.parse(locale).decimal_formats[None].pattern.split(".")[0]
    except (ValueError, UnknownLocaleError):
        grouping = "#,##0"
    pattern = f"{grouping} ¤¤" if cents % 100 == 0 else f"{grouping}.00 ¤¤"
    try:
        return format_currency(
            amount, currency, format=pattern, locale=locale, currency_digits=False
        )
    except (ValueError, LookupError):
        return format_currency(amount, currency, format=pattern, locale="en", currency_digits=False)
