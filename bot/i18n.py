"""The message catalogue: every sentence a user reads goes through here.

Sentences are English gettext ids with `{name}` placeholders; a reader's Slack
locale picks the translation (English until other catalogues are added).
"""

from __future__ import annotations

import gettext as _gettext
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.support import NullTranslations, Translations
from babel.units import format_unit

from entities.errors import UserError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


class Translator:
    """Translates catalogue ids for one reader's locale."""

    def __init__(self, translations: _gettext.NullTranslations, locale: str) -> None:
        self._translations = translations
        self.locale = locale

    def gettext(self, message: str, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def error(self, error: UserError) -> str:
        return self.gettext(error.message, **error.params)

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


def _babel_locale(slack_locale: str | None) -> str:
    """Slack says `en-US`; gettext catalogues are named `en_US` or `en`."""
    if not slack_locale:
        return "en"
    try:
        return str(Locale.parse(slack_locale.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en"


@lru_cache(maxsize=64)
def translator(slack_locale: str | None = None) -> Translator:
    """The translator for a Slack locale such as `en-US` or `ms-MY`."""
    locale = _babel_locale(slack_locale)
    translations = Translations.load(str(LOCALE_DIR), [locale, "en"], DOMAIN)
    if not isinstance(translations, Translations):
        translations = NullTranslations()  # English ids are the English text
    return Translator(translations, locale)
