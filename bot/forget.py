"""`/salesmeet forget me` and `/salesmeet forget @person`: a person's own data goes and
their name leaves the text others wrote, after they confirm (it can't be undone).

Anyone may forget themselves; a manager may forget someone who has left the workspace.
The core's tables are storage/forget.py's; each feature forgets its own tables through
its `forget_person` hook (bot/hooks.py). Nothing of another workspace is touched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import render
from bot.hooks import Hooks
from bot.i18n import Translator
from bot.mrkdwn import mention
from bot.workspace import Workspaces
from entities.errors import N_, UserError
from entities.people import Member, Person
from storage.forget import ForgetStore

log = logging.getLogger(__name__)

FORGET_ACTION = "forget_person"  # the Forget button; its value is whom
KEEP_ACTION = "forget_cancel"  # the Cancel button
# What their name becomes in text others wrote, in the workspace's language (as the
# channel reads it) when they are forgotten.
FORMER_MEMBER = N_("a former member")
HELP = N_(
    "`/salesmeet forget me` deletes your RSVPs, ratings and settings and takes your name out"
    " of what others wrote (after asking); managers: `/salesmeet forget @name` for someone"
    " who left."
)
EXAMPLE = N_(
    "Say whom to forget: `/salesmeet forget me`, or, for a manager, `/salesmeet forget @name`"
    " for someone who has left the workspace."
)
MANAGERS_ONLY = N_(
    "Sorry, only a manager can forget someone else. You can forget yourself with"
    " `/salesmeet forget me`."
)
STILL_HERE = N_(
    "{person} is still a member of this workspace: only they can ask for that, with"
    " `/salesmeet forget me`."
)
NO_SLACK = N_("I couldn't check with Slack whether {person} has left. Please try again.")
EXPIRED = N_("Sorry, I couldn't read that button. Type `/salesmeet forget me` again.")
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")
_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,20})(?:\|[^>]*)?>")


@dataclass(frozen=True)
class Forget:
    """`forget me` (user_id None: whoever asks) or `forget @person`."""

    user_id: str | None = None


def parse_forget(rest: str) -> Forget:
    text = " ".join(rest.split())
    if text.lower() in ("me", "myself"):
        return Forget()
    found = _MENTION.fullmatch(text)
    if found is None:
        raise UserError(EXAMPLE)
    return Forget(found.group(1))


def read_target(value: object) -> str | None:
    """Whom a Forget button names (a user id we wrote); None for anything else."""
    return value if isinstance(value, str) and _USER_ID.fullmatch(value) else None


@dataclass(frozen=True)
class Forgotten:
    """What went, in numbers, for the answer."""

    settings: int  # their own settings (language)
    profile: int  # a leaver's row in the member list SalesMeet keeps
    texts: int  # meeting titles and agenda items that named them
    features: int  # RSVPs, shout-outs, names in notes: the features' rows

    @property
    def nothing(self) -> bool:
        return not (self.settings or self.profile or self.texts or self.features)


@dataclass(frozen=True)
class Target:
    """Whom a request is about: the asker or a leaver, with their names as Slack has them."""

    user_id: str
    myself: bool
    left: bool
    names: Member | None  # None when Slack couldn't be asked


class Forgetting:
    def __init__(self, store: ForgetStore, hooks: Hooks, workspaces: Workspaces) -> None:
        self.store = store
        self.hooks = hooks
        self.workspaces = workspaces

    def target(self, client: WebClient, asker: Person, user_id: str | None) -> Target:
        """Whom `asker` may forget: themselves; or, for a manager, someone Slack says has
        left (deactivated, or unknown to the workspace). Raises UserError otherwise."""
        if user_id is None or user_id == asker.user_id:
            try:
                user = client.users_info(user=asker.user_id)["user"]
            except (SlackApiError, SlackClientError, OSError) as error:
                log.warning("users.info failed for %s/%s: %r", asker.team_id, asker.user_id, error)
                user = None  # their names as the roster and cache have them will do
            return Target(asker.user_id, True, False, _names(user) if user else None)
        if not asker.is_manager:
            raise UserError(MANAGERS_ONLY)
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if (error.response or {}).get("error") not in ("user_not_found", "users_not_found"):
                raise UserError(NO_SLACK, person=mention(user_id)) from error
            return Target(user_id, False, True, None)
        except (SlackClientError, OSError) as error:
            raise UserError(NO_SLACK, person=mention(user_id)) from error
        if not user.get("deleted"):  # an active account, even of another workspace: theirs
            raise UserError(STILL_HERE, person=mention(user_id))
        return Target(user_id, False, True, _names(user))

    def former(self, team_id: str) -> str:
        return former_member(self.workspaces, team_id)

    def forget(self, team_id: str, target: Target) -> Forgotten:
        """Forget them: each feature's tables, then the core's in one transaction, which
        is when the request counts as done. Doing it again finds nothing more to do."""
        former = former_member(self.workspaces, team_id)
        with self.store.before_the_change():
            if target.names is not None:
                self.store.remember(team_id, target.names)
            features = self.hooks.forget_person(team_id, target.user_id)
        core = self.store.forget(team_id, target.user_id, former, left=target.left)
        return Forgotten(core.settings, core.profile, core.texts, features)


def former_member(workspaces: Workspaces, team_id: str) -> str:
    """What a forgotten person's name becomes (the features' parts use it too)."""
    return workspaces.channel_tr(team_id).gettext(FORMER_MEMBER)


def _names(user: dict) -> Member:
    profile = user.get("profile") or {}
    return Member(
        user_id=str(user.get("id") or ""),
        handle=str(user.get("name") or ""),
        display_name=str(profile.get("display_name") or ""),
        real_name=str(profile.get("real_name") or user.get("real_name") or ""),
    )


def confirm_message(tr: Translator, target: Target, former: str) -> dict:
    """Asked before anything goes: what will go, what stays, Forget or Cancel. `former`:
    what their name becomes, as the workspace's channels will read it."""
    if target.myself:
        head = tr.gettext(
            ":warning: Forget you in SalesMeet? This deletes your RSVPs, your shout-outs"
            " given and received, your language and other settings, and what SalesMeet"
            " keeps of your Slack profile, and replaces your name with “{former}” in"
            " meeting titles, agenda items, notes and shout-outs others wrote."
            " It can't be undone.",
            former=former,
        )
    else:
        head = tr.gettext(
            ":warning: Forget {person} in SalesMeet? This deletes their RSVPs, their"
            " shout-outs given and received, their settings and what SalesMeet keeps of"
            " their Slack profile, and replaces their name with “{former}” in meeting"
            " titles, agenda items, notes and shout-outs others wrote. It can't be undone.",
            person=mention(target.user_id),
            former=former,
        )
    stays = tr.gettext(
        "Meetings (who organised and attended them), wins and action items stay, for the"
        " team's record."
    )
    buttons = ActionsBlock(
        elements=[
            ButtonElement(
                text=tr.gettext("Forget"),
                action_id=FORGET_ACTION,
                value=target.user_id,
                style="danger",
            ),
            ButtonElement(text=tr.gettext("Cancel"), action_id=KEEP_ACTION, value="cancel"),
        ]
    )
    blocks: list[Block] = [render.section(head), render.context(stays), buttons]
    return render.message(head, blocks)


def forgotten_message(tr: Translator, target: Target, done: Forgotten) -> dict:
    """What went, in words."""
    if done.nothing:
        head = (
            tr.gettext("SalesMeet had nothing left to forget about you.")
            if target.myself
            else tr.gettext(
                "SalesMeet had nothing left to forget about {person}.",
                person=mention(target.user_id),
            )
        )
        return render.message(head, [render.section(head)])
    head = (
        tr.gettext(":white_check_mark: Done: SalesMeet has forgotten you in this workspace.")
        if target.myself
        else tr.gettext(
            ":white_check_mark: Done: SalesMeet has forgotten {person} in this workspace.",
            person=mention(target.user_id),
        )
    )
    lines = []
    if done.features:
        lines.append(
            tr.ngettext(
                "{n} RSVP, answer, shout-out or mention in notes",
                "{n} RSVPs, answers, shout-outs and mentions in notes",
                done.features,
            )
        )
    if done.settings:
        lines.append(
            tr.ngettext(
                "{n} personal setting",
                "{n} personal settings",
                done.settings,
            )
        )
    if done.profile:
        lines.append(tr.gettext("what SalesMeet kept of the Slack profile"))
    if done.texts:
        lines.append(
            tr.ngettext(
                "the name taken out of {n} meeting title or agenda item",
                "the name taken out of {n} meeting titles and agenda items",
                done.texts,
            )
        )
    body = "\n".join(f"• {line}" for line in lines)
    blocks: list[Block] = [render.section(head), render.section(body)]
    return render.message(head, blocks)


def kept_message(tr: Translator) -> dict:
    text = tr.gettext("Nothing was forgotten.")
    return render.message(text, [render.section(text)])
