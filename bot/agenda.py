"""Agenda templates: what each kind of sales meeting is for, as a starting agenda."""

from __future__ import annotations

from entities.errors import N_, UserError
from entities.text import visible, without_controls

MAX_ITEM = 300

TEMPLATES: dict[str, tuple[str, ...]] = {
    "motivation": (
        N_("Recognise top performers and what they did well"),
        N_("Goals for the period"),
        N_("Incentives and contests"),
    ),
    "product": (
        N_("What's new and what changed"),
        N_("What it means for customers and the pitch"),
        N_("Questions for the product team"),
    ),
    "challenges": (
        N_("Challenges in the field this period"),
        N_("What has been tried"),
        N_("Help needed and from whom"),
    ),
    "shortfall": (
        N_("Figures against target"),
        N_("Causes of the gap"),
        N_("Actions and owners"),
    ),
    "strategy": (
        N_("Where we stand: pipeline and market"),
        N_("Options and trade-offs"),
        N_("Decisions and next steps"),
    ),
    "customer": (
        N_("The customer's goals"),
        N_("Demo by the technical expert"),
        N_("Benefits for the customer"),
        N_("Questions"),
        N_("Next steps"),
    ),
    "general": (
        N_("Updates"),
        N_("Decisions needed"),
        N_("Next steps"),
    ),
}


def check_item(text: str) -> str:
    text = " ".join(without_controls(text).split())
    if not visible(text):
        raise UserError(
            N_("Say what to add, like `{example}`."),
            "agenda",
            example="/salesmeet agenda #12 add Q4 pipeline by region",
        )
    if len(text) > MAX_ITEM:
        raise UserError(
            N_("An agenda item can be at most {limit} characters."), "agenda", limit=MAX_ITEM
        )
    return text
