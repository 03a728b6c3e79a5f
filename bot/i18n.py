"""The message catalogue: every sentence a user reads goes through here.

Sentences are English gettext ids with `{name}` placeholders, translated from the
catalogues in `locale/<language>/LC_MESSAGES/messages.po` (English, Bahasa Melayu, Hindi),
read at start, so no compiled file is kept in the repository. Who reads what in which
language is `reader_locale`'s rule; numbers, money and dates go through Babel in the
reader's locale (`RM12,500`; Indian grouping `₹12,50,000` in Hindi and Indian English).
"""

from __future__ import annotations

import gettext as _gettext
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from bot.mrkdwn import Markup
from entities.errors import Example, UserError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The languages SalesMeet speaks; Slack's own interface offers neither Malay nor Hindi,
# so people choose with `/salesmeet language` (and managers the workspace's).
LANGUAGES = ("en", "ms", "hi")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ms": "Bahasa Melayu", "hi": "हिन्दी"}
# How a date reads when it is written out for one reader (not a Slack date token).
DATE_TIME = "EEE d MMM y, HH:mm"


class Translator:
    """Translates catalogue ids for one reader's locale."""

    def __init__(
        self, translations: _gettext.NullTranslations, locale: str, tz: str | None = None
    ) -> None:
        self._translations = translations
        self.locale = locale  # Babel's: `ms`, `hi`, `en_IN`, `en_US`
        self.tz = tz  # the reader's zone, when one person reads alone

    @property
    def language(self) -> str:
        """The catalogue's language: `en`, `ms` or `hi`."""
        return self.locale.split("_")[0]

    def number(self, value: float | int | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def money(self, amount: float | Decimal, currency: str) -> str:
        """An amount in this locale's way of writing money: `$1,250`, `RM12,500`,
        `₹12,50,000`; cents only when there are some."""
        whole = Decimal(str(amount)) == Decimal(str(amount)).to_integral_value()
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern.split(";")[0]
        if whole:
            pattern = pattern.replace(".00", "")
        try:
            return format_currency(
                Decimal(str(amount)),
                currency,
                format=pattern,
                locale=self.locale,
                currency_digits=False,
            )
        except (ValueError, LookupError):
            return f"{format_decimal(amount, locale=self.locale)} {currency}"

    def date(self, instant: datetime) -> str:
        """An instant as this reader reads it. One person reading alone in Malay or Hindi
        gets it written out in their language and zone (Slack writes its date tokens in
        English); everyone else a Slack date token, which each client shows in its own
        zone, with this language's words around it and its fallback."""
        if self.tz and self.language != DEFAULT_LANGUAGE:
            return Markup(self.written_date(instant))
        when = instant.astimezone(UTC)
        fmt = self.gettext("{date_short_pretty} at {time}")
        fallback = format_datetime(when, DATE_TIME, tzinfo=UTC, locale=self.locale) + " UTC"
        return Markup(f"<!date^{int(when.timestamp())}^{fmt}|{fallback}>")

    def written_date(self, instant: datetime) -> str:
        """An instant written out in this reader's language and zone (UTC without one)."""
        zone = ZoneInfo(self.tz) if self.tz else ZoneInfo("UTC")
        text = format_datetime(instant, DATE_TIME, tzinfo=zone, locale=self.locale)
        return text if self.tz else text + " UTC"

    def gettext(self, message: str, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**self._dated(params)) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **self._dated(params))

    def _dated(self, params: dict[str, object]) -> dict[str, object]:
        """An instant among the parameters (an error's `when`) reads as this reader reads
        dates."""
        return {k: self.date(v) if isinstance(v, datetime) else v for k, v in params.items()}

    def error(self, error: UserError) -> str:
        return self.gettext(error.message, **self.localised(error.params))

    def localised(self, params: dict[str, object]) -> dict[str, object]:
        """A sentence's parameters with its examples (`Example`) in this language."""
        return {
            k: self._translations.gettext(v) if isinstance(v, Example) else v
            for k, v in params.items()
        }

    def duration(self, span: timedelta) -> str:
        """A length of time as people say it in this locale, through Babel's unit data:
        "45 minutes", "8 hours", "1 hour, 30 minutes", "1 jam, 30 minit"; never "480
        minutes"."""
        minutes = max(int(span.total_seconds() // 60), 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, mins = divmod(rest, 60)
        parts = [
            format_unit(n, unit, length="long", locale=self.locale)
            for n, unit in (
                (days, "duration-day"),
                (hours, "duration-hour"),
                (mins, "duration-minute"),
            )
            if n
        ] or [format_unit(0, "duration-minute", length="long", locale=self.locale)]
        return parts[0] if len(parts) == 1 else format_list(parts, style="unit", locale=self.locale)


def _babel_locale(tag: str | None) -> str:
    """Slack says `en-US`; Babel and the catalogues say `en_US` or `en`."""
    if not tag:
        return DEFAULT_LANGUAGE
    try:
        return str(Locale.parse(tag.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return DEFAULT_LANGUAGE


def supported(slack_locale: str | None) -> str | None:
    """The Babel locale for a Slack locale in a language SalesMeet speaks (`en-IN` keeps
    its region for Indian digit grouping); None for any other language."""
    locale = _babel_locale(slack_locale) if slack_locale else None
    if locale and locale.split("_")[0] in LANGUAGES:
        return locale
    return None


def reader_locale(
    chosen: str | None, slack_locale: str | None, workspace_language: str | None
) -> str:
    """What one person reads alone is in their own choice of language, else their Slack
    locale when SalesMeet speaks it, else the workspace's."""
    if chosen in LANGUAGES:
        return chosen
    return supported(slack_locale) or workspace(workspace_language)


def workspace(language: str | None) -> str:
    """The workspace's language, for channel posts."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=8)
def _catalogue(language: str) -> _gettext.NullTranslations:
    """The language's catalogue, read from its .po (English ids are the English text)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return NullTranslations()
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)  # untranslated and fuzzy entries fall back to English
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=256)
def translator(locale: str | None = None, tz: str | None = None) -> Translator:
    """The translator for a locale (`ms`, `hi`, `en_IN`, or Slack's `en-US`), writing dates
    in zone `tz` when given."""
    babel_locale = _babel_locale(locale)
    language = babel_locale.split("_")[0]
    if language not in LANGUAGES:
        language, babel_locale = DEFAULT_LANGUAGE, DEFAULT_LANGUAGE
    return Translator(_catalogue(language), babel_locale, tz)
