"""What recognition says in Slack: shout-out posts, answers, the leaderboard, the weekly post,
and the blocks it adds to motivation reminders and App Home.

Every builder takes the reader's Translator; everything people typed is escaped, except
well-formed user mentions (`<@U123>`), which they meant to write.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import render
from bot.i18n import Translator
from bot.meeting_posts import late_note
from bot.mrkdwn import channel, escape, mention
from entities.errors import N_
from features.recognition.amounts import money
from features.recognition.grammar import MENTION
from features.recognition.leaderboard import Board, Progress, Recognised, Standing
from features.recognition.periods import MONTH, QUARTER, WEEK, label
from features.recognition.records import Goal, Win

SHORTFALL_ACTION = "open_schedule_modal"  # handlers/actions.py opens the scheduling modal
SHORTFALL_PURPOSE = "shortfall"
LEADERBOARD_SIZE = 10
POST_TOP = 3  # the weekly post, reminders and App Home show the top 3
REASONS_SHOWN = 3
REASON_CHARS = 280
OTHERS_SHOWN = 20  # wins in other currencies listed in one context line

_LEADERBOARD_HEADS = {
    (WEEK, False): N_(":trophy: *Leaderboard for this week* ({dates})"),
    (WEEK, True): N_(":trophy: *Leaderboard for last week* ({dates})"),
    (MONTH, False): N_(":trophy: *Leaderboard for this month* ({dates})"),
    (MONTH, True): N_(":trophy: *Leaderboard for last month* ({dates})"),
    (QUARTER, False): N_(":trophy: *Leaderboard for this quarter* ({dates})"),
    (QUARTER, True): N_(":trophy: *Leaderboard for last quarter* ({dates})"),
}
_SUMMARY_HEADS = {
    ("reminder", False): N_("*Top performers this week* ({dates})"),
    ("reminder", True): N_("*Top performers last week* ({dates})"),
    ("home", False): N_("*Team leaderboard this week* ({dates})"),
    ("home", True): N_("*Team leaderboard last week* ({dates})"),
}


def user_text(text: str) -> str:
    """Escape what someone typed, but keep the user mentions in it working."""
    out, last = [], 0
    for match in MENTION.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(mention(match.group(1)))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _one_line(text: str, limit: int = REASON_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def people(user_ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(mention(u) for u in user_ids)


def amount(tr: Translator, cents: int, currency: str) -> str:
    return money(cents, currency, tr.locale)


# -- shout-outs ----------------------------------------------------------------------------


def shoutout_post(tr: Translator, giver: str, recipients: tuple[str, ...], reason: str) -> dict:
    text = tr.gettext(
        ":tada: {giver} gave a shout-out to {people}: {reason}",
        giver=mention(giver),
        people=people(recipients),
        reason=user_text(reason),
    )
    return render.message(text, [render.section(text)])


def shoutout_done(
    tr: Translator, recipients: tuple[str, ...], channel_id: str, note: str | None, left: int
) -> dict:
    if note is None:
        head = tr.gettext(
            ":white_check_mark: Your shout-out to {people} is posted in {channel}.",
            people=people(recipients),
            channel=channel(channel_id),
        )
    else:
        head = tr.gettext(
            ":white_check_mark: Your shout-out to {people} is recorded.", people=people(recipients)
        )
    if left > 0:
        more = tr.ngettext(
            "You can give {n} more shout-out today.",
            "You can give {n} more shout-outs today.",
            left,
        )
    else:
        more = tr.gettext("That was your last shout-out for today.")
    blocks: list[Block] = [render.section(head)]
    if note:
        blocks.append(render.context(note))
    blocks.append(render.context(more))
    return render.message(head, blocks)


def not_posted(tr: Translator, channel_id: str, not_member: bool) -> str:
    if not_member:
        return tr.gettext(
            ":information_source: I couldn't post it in {channel} because I'm not a member"
            " there. Type `/invite @SalesMeet` in that channel so shout-outs appear there;"
            " this one still counts on the leaderboard.",
            channel=channel(channel_id),
        )
    return tr.gettext(
        ":information_source: Slack didn't accept my post in {channel} just now;"
        " the shout-out still counts on the leaderboard.",
        channel=channel(channel_id),
    )


def repeated(tr: Translator, what: str) -> dict:
    if what == "win":
        text = tr.gettext("You logged this win a moment ago, so I didn't record it twice.")
    else:
        text = tr.gettext("You gave this shout-out a moment ago, so I didn't record it twice.")
    return render.message(text, [render.section(text)])


# -- wins and the goal ---------------------------------------------------------------------


def win_done(
    tr: Translator, win: Win, self_logged: bool, default: str, progress: Progress | None
) -> dict:
    values = {
        "amount": amount(tr, win.amount_cents, win.currency),
        "note": escape(win.note),
        "person": mention(win.user_id),
    }
    if self_logged:
        head = tr.gettext(":moneybag: Logged your win of {amount}: {note}", **values)
    else:
        head = tr.gettext(":moneybag: Logged a win of {amount} for {person}: {note}", **values)
    blocks: list[Block] = [render.section(head)]
    if win.currency != default:
        blocks.append(render.context(other_currency_note(tr, win.currency, default)))
    if progress is not None and progress.goal.currency == win.currency:
        blocks.append(render.section("\n".join(progress_lines(tr, progress))))
    return render.message(head, blocks)


def other_currency_note(tr: Translator, currency: str, default: str) -> str:
    return tr.gettext(
        ":information_source: This win is in {currency}. The leaderboard and the team goal"
        " count only {default} wins, because SalesMeet has no exchange rates to convert"
        " with; the win is recorded and listed apart on the leaderboard.",
        currency=currency,
        default=default,
    )


def win_dm(tr: Translator, manager: str, win: Win) -> dict:
    text = tr.gettext(
        ":moneybag: {manager} logged a win of {amount} for you: {note}",
        manager=mention(manager),
        amount=amount(tr, win.amount_cents, win.currency),
        note=escape(win.note),
    )
    return render.message(text, [render.section(text)])


def goal_set(tr: Translator, goal: Goal, progress: Progress) -> dict:
    value = amount(tr, goal.amount_cents, goal.currency)
    if goal.period == QUARTER:
        head = tr.gettext(":dart: The team goal is now {amount} per quarter.", amount=value)
    else:
        head = tr.gettext(":dart: The team goal is now {amount} per month.", amount=value)
    body = "\n".join(progress_lines(tr, progress))
    return render.message(head, [render.section(head), render.section(body)])


def goal_cleared(tr: Translator, existed: bool) -> dict:
    if existed:
        text = tr.gettext("The team goal is cleared.")
    else:
        text = tr.gettext("There was no team goal to clear.")
    return render.message(text, [render.section(text)])


def goal_view(tr: Translator, progress: Progress | None, example: str) -> dict:
    if progress is None:
        text = tr.gettext(
            "There's no team goal yet. A manager can set one with `{example}`.", example=example
        )
        return render.message(text, [render.section(text)])
    lines = progress_lines(tr, progress)
    return render.message(lines[0], [render.section("\n".join(lines))])


def progress_lines(tr: Translator, progress: Progress) -> list[str]:
    goal = progress.goal
    lines = [
        tr.gettext(
            ":dart: *Team goal for {period}:* {won} of {goal} ({percent}%)",
            period=label(progress.period, tr.locale),
            won=amount(tr, progress.won, goal.currency),
            goal=amount(tr, goal.amount_cents, goal.currency),
            percent=progress.percent,
        )
    ]
    values = {
        "remaining": amount(tr, progress.remaining, goal.currency),
        "per_day": amount(tr, progress.per_day, goal.currency),
        "behind": amount(tr, progress.behind, goal.currency),
    }
    if progress.reached:
        lines.append(tr.gettext(":tada: The team has reached its goal."))
    elif progress.behind:
        lines.append(
            tr.ngettext(
                ":warning: The team is {behind} behind the pace. To reach the goal it needs"
                " {remaining} in the {n} day left, about {per_day} a day.",
                ":warning: The team is {behind} behind the pace. To reach the goal it needs"
                " {remaining} in the {n} days left, about {per_day} a day.",
                progress.days_left,
                **values,
            )
        )
    else:
        lines.append(
            tr.ngettext(
                "On pace: {remaining} to go in the {n} day left, about {per_day} a day.",
                "On pace: {remaining} to go in the {n} days left, about {per_day} a day.",
                progress.days_left,
                **values,
            )
        )
    return lines


def shortfall_button(tr: Translator) -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=tr.gettext("Schedule a shortfall meeting"),
                action_id=SHORTFALL_ACTION,
                value=SHORTFALL_PURPOSE,
                style="danger",
            )
        ]
    )


# -- rankings ------------------------------------------------------------------------------


def win_lines(tr: Translator, standings: list[Standing], currency: str, top: int) -> list[str]:
    return [
        tr.ngettext(
            "{rank}. {person}: {amount} from {n} deal",
            "{rank}. {person}: {amount} from {n} deals",
            s.count,
            rank=rank,
            person=mention(s.user_id),
            amount=amount(tr, s.total, currency),
        )
        for rank, s in enumerate(standings[:top], start=1)
    ]


def shoutout_lines(tr: Translator, recognised: list[Recognised], top: int) -> list[str]:
    return [
        tr.ngettext(
            "{rank}. {person}: {n} shout-out",
            "{rank}. {person}: {n} shout-outs",
            r.standing.count,
            rank=rank,
            person=mention(r.standing.user_id),
        )
        for rank, r in enumerate(recognised[:top], start=1)
    ]


def reasons_text(tr: Translator, recognised: Recognised) -> str:
    """A recognised person, and the reasons people gave (newest first)."""
    head = tr.ngettext(
        "{person}, with {n} shout-out:",
        "{person}, with {n} shout-outs:",
        recognised.standing.count,
        person=mention(recognised.standing.user_id),
    )
    newest = list(reversed(recognised.shoutouts))
    lines = [
        "> "
        + tr.gettext(
            "“{reason}” from {giver}",
            reason=user_text(_one_line(s.reason)),
            giver=mention(s.giver_id),
        )
        for s in newest[:REASONS_SHOWN]
    ]
    if len(newest) > REASONS_SHOWN:
        lines.append(tr.gettext("…and {more} more.", more=len(newest) - REASONS_SHOWN))
    return "\n".join([head, *lines])


def others_text(tr: Translator, board: Board) -> str | None:
    if not board.other_currencies:
        return None
    shown = board.other_currencies[:OTHERS_SHOWN]
    listed = ", ".join(f"{mention(user)} {amount(tr, cents, cur)}" for user, cur, cents in shown)
    if len(board.other_currencies) > OTHERS_SHOWN:
        listed += " " + tr.gettext(
            "…and {more} more.", more=len(board.other_currencies) - OTHERS_SHOWN
        )
    return tr.gettext(
        "Wins in other currencies, listed but not ranked (no exchange rates): {wins}",
        wins=listed,
    )


def leaderboard(tr: Translator, board: Board, previous: bool, hint_example: str) -> dict:
    head = tr.gettext(
        _LEADERBOARD_HEADS[(board.period.kind, previous)],
        dates=label(board.period, tr.locale),
    )
    if board.empty:
        text = tr.gettext("Nothing on the leaderboard for this period yet.")
        hint = tr.gettext(
            "Log a win with `{example}`, or thank a teammate with"
            " `/salesmeet shoutout @maya for the demo`.",
            example=hint_example,
        )
        return render.message(
            head, [render.section(head), render.section(text), render.context(hint)]
        )
    wins = win_lines(tr, board.by_amount, board.currency, LEADERBOARD_SIZE) or [
        tr.gettext("No wins in {currency} yet.", currency=board.currency)
    ]
    shoutouts = shoutout_lines(tr, board.by_shoutouts, LEADERBOARD_SIZE) or [
        tr.gettext("No shout-outs yet.")
    ]
    blocks: list[Block] = [
        render.section(head),
        render.section(
            "\n".join([tr.gettext("*By amount won ({currency})*", currency=board.currency), *wins])
        ),
        render.section("\n".join([tr.gettext("*By shout-outs received*"), *shoutouts])),
    ]
    others = others_text(tr, board)
    if others:
        blocks.append(render.context(others))
    blocks.append(render.context(tie_rule(tr)))
    return render.message(head, blocks)


def tie_rule(tr: Translator) -> str:
    return tr.gettext(
        "Equal amounts: more deals first, then whoever got there first. Equal shout-outs:"
        " whoever got there first."
    )


# -- the weekly post, reminders, App Home --------------------------------------------------


def weekly_post(
    tr: Translator, board: Board, progress: Progress | None, late_since: datetime | None
) -> dict:
    head = tr.gettext(
        ":trophy: *Top performers of the week* ({dates})", dates=label(board.period, tr.locale)
    )
    wins = win_lines(tr, board.by_amount, board.currency, POST_TOP) or [
        tr.gettext("No wins in {currency} logged this week.", currency=board.currency)
    ]
    blocks: list[Block] = [
        render.section(head),
        render.section("\n".join([tr.gettext("*Top 3 by wins*"), *wins])),
    ]
    if board.by_shoutouts:
        blocks.append(render.section(tr.gettext("*Most recognised*")))
        blocks += [render.section(reasons_text(tr, r)) for r in board.by_shoutouts[:POST_TOP]]
    else:
        blocks.append(render.section(tr.gettext("No shout-outs this week.")))
    others = others_text(tr, board)
    if others:
        blocks.append(render.context(others))
    if progress is not None:
        blocks.append(render.section("\n".join(progress_lines(tr, progress))))
        if progress.behind and not progress.reached:
            blocks.append(shortfall_button(tr))
    if late_since:
        blocks.append(render.context(late_note(tr, late_since)))
    return render.message(head, blocks)


def summary_blocks(
    tr: Translator, where: str, board: Board, previous: bool, progress: Progress | None
) -> list[Block]:
    """The top 3 by wins and by shout-outs, and goal progress: for motivation reminders
    (`where="reminder"`) and App Home (`where="home"`)."""
    blocks: list[Block] = []
    if not board.empty:
        head = tr.gettext(_SUMMARY_HEADS[(where, previous)], dates=label(board.period, tr.locale))
        lines = [head]
        lines += win_lines(tr, board.by_amount, board.currency, POST_TOP)
        if board.by_shoutouts:
            lines.append(tr.gettext("*Most recognised*"))
            lines += shoutout_lines(tr, board.by_shoutouts, POST_TOP)
        blocks.append(render.section("\n".join(lines)))
    if progress is not None:
        blocks.append(render.section("\n".join(progress_lines(tr, progress))))
    return blocks
