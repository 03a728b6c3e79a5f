"""The Block Kit of calendar feeds: the link, how to subscribe, how to reset."""

from __future__ import annotations

from bot import render
from bot.i18n import Translator
from features.feeds.service import FeedLink


def feed_link(tr: Translator, link: FeedLink, gone: int | None = None) -> dict:
    """My private link, for each calendar app; after a reset, that the old one is off."""
    head = tr.gettext(":calendar: Your SalesMeet calendar subscription")
    if gone is not None:
        head = tr.gettext(":calendar: Your old calendar link is turned off. Here is your new one.")
    how = tr.gettext(
        "*Google Calendar:* Other calendars → From URL, paste {https}\n"
        "*Outlook:* Add calendar → Subscribe from web, paste {https}\n"
        "*Apple Calendar:* open {webcal}",
        https=f"<{link.https}>",
        webcal=f"<{link.webcal}>",
    )
    private = tr.gettext(
        "Your calendar follows every change to your meetings. Anyone with this link can"
        " see your meetings: keep it to yourself. `/salesmeet calendar reset` turns it"
        " off and gives you a new one."
    )
    return render.message(
        head, [render.section(f"*{head}*"), render.section(how), render.context(private)]
    )


def no_public_url(tr: Translator) -> dict:
    text = tr.gettext(
        "Calendar links need the address SalesMeet is reached at from outside. Ask the"
        " person who runs SalesMeet to set SALESMEET_PUBLIC_URL. Meanwhile"
        " `/salesmeet export` sends you a calendar file."
    )
    return render.message(text, [render.section(text)])
