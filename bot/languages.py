"""`/salesmeet language`: which language a person reads SalesMeet in.

Slack's own interface offers neither Malay nor Hindi, so a reader's Slack locale cannot
pick them: each person may choose (`language ms`), and managers choose the workspace's
(`config language ms`), which channel posts use and anyone who chose nothing reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Option, StaticSelectElement

from bot import render
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from entities.errors import N_, UserError

LANGUAGE_ACTION = "choose_language"  # the menu on App Home
DEFAULT_WORDS = ("default", "auto", "slack")  # back to Slack's locale, else the workspace's


@dataclass(frozen=True)
class ShowLanguage:
    pass


@dataclass(frozen=True)
class SetLanguage:
    language: str | None  # None: no choice of their own


def read_language(text: str) -> str:
    """`ms`, `hi`, `en` (or the language's name): the language's code."""
    word = " ".join(text.split()).lower()
    for code, name in LANGUAGE_NAMES.items():
        if word in (code, name.lower(), name.lower().split()[-1]):
            return code
    raise UserError(
        N_("“{text}” is not a language I speak. Choose one of: {choices}."),
        "language",
        text=text.strip()[:40],
        choices=", ".join(f"`{code}` ({LANGUAGE_NAMES[code]})" for code in LANGUAGES),
    )


def parse_language(rest: str) -> ShowLanguage | SetLanguage:
    if not rest.strip():
        return ShowLanguage()
    if rest.strip().lower() in DEFAULT_WORDS:
        return SetLanguage(None)
    return SetLanguage(read_language(rest))


def language_message(tr: Translator, chosen: str | None, workspace: str) -> dict:
    """Mine, the workspace's, and how to change it, in the language I now read."""
    if chosen:
        head = tr.gettext(
            ":speech_balloon: You read SalesMeet in {language}.", language=LANGUAGE_NAMES[chosen]
        )
    else:
        head = tr.gettext(
            ":speech_balloon: You read SalesMeet in {language} (you haven't chosen one;"
            " channel posts are in {workspace}).",
            language=LANGUAGE_NAMES[tr.language],
            workspace=LANGUAGE_NAMES[workspace],
        )
    choices = ", ".join(f"`{code}` {LANGUAGE_NAMES[code]}" for code in LANGUAGES)
    how = tr.gettext(
        "Choose with `/salesmeet language ms` (or from App Home): {choices}."
        " `/salesmeet language default` goes back to Slack's language.",
        choices=choices,
    )
    return render.message(head, [render.section(head), render.context(how)])


def language_menu(tr: Translator) -> StaticSelectElement:
    """App Home's menu of languages, showing the one I read now."""
    options = [Option(value=code, text=LANGUAGE_NAMES[code]) for code in LANGUAGES]
    return StaticSelectElement(
        action_id=LANGUAGE_ACTION,
        placeholder=tr.gettext("Language"),
        options=options,
        initial_option=options[LANGUAGES.index(tr.language)],
    )
