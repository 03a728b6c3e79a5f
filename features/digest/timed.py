"""The weekly digest as timed posts: which rows to plan, and what each row posts.

Per workspace and week there is one channel row (kind "digest", meeting 0) and one row
per manager (kind "digest-dm", meeting = -their recipient number, see schema.py), all
keyed by the week's start and due at the digest time. Each DM is its own row: a manager
whose DM fails or is retried never makes the channel post or anyone else's DM go out
twice, and they share one computation of the figures.

Each person with meetings that week gets their own figures by DM: a row of kind
"digest-you" (meeting = -their recipient number), planned when the channel row is sent
(who had meetings is known then, not two weeks ahead), due at the same time, so they go
out in the same pass, once each, and a restart finds them pending like any other row.

A manager's DM and a person's DM carry a chart, uploaded (files_upload_v2) to that
person's DM just before the message is posted; the file's id is kept per person and
week (history.py), so a retried DM shows the same file rather than uploading another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.feature import Core
from bot.i18n import Translator
from bot.settings import MANAGERS
from bot.timed_posts import HORIZON
from entities.deliveries import Composed, Composer, Delivery, Planned
from entities.meetings import Meeting
from entities.recurrence import Occurrence
from features.digest import blocks
from features.digest.figures import WeekFigures, due_in_week, shift_weeks, week_start
from features.digest.history import OWN_CHART, TEAM_CHART, Chart
from features.digest.pictures import Picture, person_picture, team_picture
from features.digest.service import Digests, Report
from features.digest.settings import (
    EVERYONE,
    SCHEDULE_KEYS,
    digest_channel,
    digest_schedule,
    may_see_everyone,
    visibility,
)

log = logging.getLogger(__name__)

DIGEST, DIGEST_DM, DIGEST_YOU = "digest", "digest-dm", "digest-you"


class DigestPosts:
    def __init__(self, core: Core, digests: Digests) -> None:
        self.digests = digests
        self.store = digests.store
        self.workspaces = core.workspaces
        self.deliveries = core.planner.deliveries
        self.managers = core.managers
        self.directory = core.directory
        self.history = digests.history
        self.clock = core.clock
        self.hooks = core.hooks
        self.client_for = core.dispatcher.client_for
        self.served_team = core.dispatcher.team_id  # None: every workspace (tools)
        self._memo: dict[str, tuple[datetime, list[Planned]]] = {}
        self._lock = threading.Lock()

    # -- planning -----------------------------------------------------------------------

    def planned(self, team_id: str, now: datetime, until: datetime, sync: bool) -> list[Planned]:
        """The channel row and the managers' rows of each digest due in (now, until]."""
        settings = self.workspaces.settings(team_id)
        tz = settings.tz
        day, at = digest_schedule(settings)
        first = week_start(now, tz)
        weeks = []
        for ahead in range(0, int((until - now).days // 7) + 2):
            start = shift_weeks(first, ahead, tz)
            due = due_in_week(start, day, at, tz)
            if due > until:
                break
            if due > now:
                weeks.append((int(start.timestamp()), due))
        if not weeks:
            return []
        if sync:
            self.managers.sync(team_id)
        numbers = self.store.recipient_numbers(team_id, self.managers.of(team_id))
        posts = []
        for key, due in weeks:
            posts.append(Planned(team_id, DIGEST, 0, key, due))
            posts += [Planned(team_id, DIGEST_DM, -n, key, due) for n in sorted(numbers.values())]
        return posts

    def team_posts(self, now: datetime, until: datetime) -> list[Planned]:
        """Feature hook: the digests of the workspace this process serves (the planner's
        hourly pass), or of every workspace when that is not known (no Slack client)."""
        served = self.served_team
        teams = [served] if served else self.workspaces.teams()
        return [p for team in teams for p in self.planned(team, now, until, True)]

    def meeting_posts(self, meeting: Meeting, occurrence: Occurrence, now: datetime):
        """Feature hook, used so that a workspace that schedules meetings has its digest
        planned at once, not only at the next hourly pass. Only rows that do not exist
        yet are offered (the planner would otherwise reset a pending row's retries), and
        Slack is not asked anything here: this runs while a meeting is being booked."""
        with self._lock:
            memo = self._memo.get(meeting.team_id)
            if memo and memo[0] == now:
                return memo[1]
        missing = [
            p
            for p in self.planned(meeting.team_id, now, now + HORIZON, sync=False)
            if self.deliveries.find(p.team_id, p.kind, p.meeting_id, p.occurrence) is None
        ]
        with self._lock:
            self._memo[meeting.team_id] = (now, missing)
        return missing

    def replan(self, team_id: str) -> None:
        """After the schedule, channel or managers change: pending rows go, and are
        planned again by the next pass (the caller runs it). Sent rows stay sent, so a
        week's digest still goes out once."""
        self.deliveries.drop_pending(team_id, DIGEST)
        for number in self.store.all_recipient_numbers(team_id):
            self.deliveries.drop_pending(team_id, DIGEST_DM, -number)
            self.deliveries.drop_pending(team_id, DIGEST_YOU, -number)
        with self._lock:
            self._memo.pop(team_id, None)

    def next_due(self, team_id: str, now: datetime) -> datetime:
        """When the next digest goes out, as the settings are now."""
        settings = self.workspaces.settings(team_id)
        day, at = digest_schedule(settings)
        start = week_start(now, settings.tz)
        for ahead in range(3):
            due = due_in_week(shift_weeks(start, ahead, settings.tz), day, at, settings.tz)
            if due > now:
                return due
        return due

    def settings_changed(self, tr: Translator, team_id: str, keys: frozenset[str]) -> list[str]:
        """Feature hook: after its channel, its time or the zone change, the pending
        digests follow and the manager is told when the next one goes out; after the
        managers change, the pending DMs follow, with nothing to say."""
        if keys & SCHEDULE_KEYS:
            self.replan(team_id)
            return [blocks.next_digest_note(tr, self.next_due(team_id, self.clock.now()))]
        if MANAGERS in keys:
            self.replan(team_id)
        return []

    # -- composing ------------------------------------------------------------------------

    def compose_channel(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """The channel post: the digest channel, or else the channel where most of the
        week's meetings were; nothing when there is neither. The team's figures only,
        unless the workspace shares everyone's hours (`digest-visibility everyone`)."""
        report = self.digests.report(row.team_id, _utc(row.occurrence), reuse=True)
        figures = report.figures
        if _nothing_to_say(figures):
            return None
        if not self._missed(row, now):
            self._plan_people(row, report, now)
        target = digest_channel(figures.settings) or figures.busiest_channel
        if not target:
            return None
        tr = self.workspaces.channel_tr(row.team_id)  # the workspace's language
        managers = self.managers.of(row.team_id)
        message = blocks.digest_message(
            tr,
            figures,
            row.due_at if late else None,
            everyone=visibility(figures.settings) == EVERYONE,
            report=report,
            notes=self._notes(tr, figures),
        )
        return Composed(
            channel_id=target,
            message=message,
            owner_id=managers[0] if managers else "",
            what=blocks.what_text(tr, figures),
        )

    def compose_dm(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """One manager's DM, with the picture; skipped if they are no longer a manager."""
        user_id = self.store.recipient(row.team_id, -row.meeting_id)
        if user_id is None or user_id not in self.managers.of(row.team_id):
            return None
        report = self.digests.report(row.team_id, _utc(row.occurrence), reuse=True)
        figures = report.figures
        if _nothing_to_say(figures):
            return None
        tr = self.directory.reader(row.team_id, user_id)
        everyone = may_see_everyone(figures.settings, manager=True)
        image = None
        if not self._missed(row, now):
            image = self._chart(
                row.team_id,
                user_id,
                figures,
                TEAM_CHART,
                lambda: team_picture(tr, report, self._name_of(row.team_id), everyone, user_id),
            )
        target = digest_channel(figures.settings) or figures.busiest_channel
        message = blocks.digest_message(
            tr,
            figures,
            row.due_at if late else None,
            target,
            everyone=everyone,
            viewer=user_id,
            report=report,
            notes=self._notes(tr, figures),
            image=image,
        )
        return Composed(
            channel_id=user_id,
            message=message,
            owner_id=user_id,
            what=blocks.what_text(tr, figures),
        )

    def compose_person(self, row: Delivery, now: datetime, late: bool) -> Composed | None:
        """One person's own figures, in their language, with their weeks in a line."""
        user_id = self.store.recipient(row.team_id, -row.meeting_id)
        if user_id is None:
            return None
        report = self.digests.report(row.team_id, _utc(row.occurrence), reuse=True)
        figures = report.figures
        if not any(p.user_id == user_id for p in figures.people):
            return None  # their meetings went since the row was planned
        tr = self.directory.reader(row.team_id, user_id)
        image = None
        if not self._missed(row, now):
            image = self._chart(
                row.team_id,
                user_id,
                figures,
                OWN_CHART,
                lambda: person_picture(tr, report, user_id),
            )
        shown = visibility(figures.settings)
        message = blocks.person_message(
            tr, report, user_id, shown, image, row.due_at if late else None
        )
        return Composed(
            channel_id=user_id,
            message=message,
            owner_id=user_id,
            what=blocks.person_what(tr, figures),
        )

    def composers(self) -> dict[str, Composer]:
        return {
            DIGEST: self.compose_channel,
            DIGEST_DM: self.compose_dm,
            DIGEST_YOU: self.compose_person,
        }

    # -- helpers ----------------------------------------------------------------------------

    def _plan_people(self, row: Delivery, report: Report, now: datetime) -> None:
        """A row for each person with meetings this week, due with the channel post; a
        manager who sees everyone's hours in their own digest gets no second DM."""
        settings = report.figures.settings
        managers = set(self.managers.of(row.team_id))
        people = [
            p.user_id
            for p in report.figures.people
            if not (p.user_id in managers and may_see_everyone(settings, manager=True))
        ]
        numbers = self.store.recipient_numbers(row.team_id, people)
        posts = [
            Planned(row.team_id, DIGEST_YOU, -numbers[u], row.occurrence, row.due_at)
            for u in people
            if u in numbers
        ]
        self.deliveries.plan(posts, now)

    def _missed(self, row: Delivery, now: datetime) -> bool:
        """Composed only to tell its owner it was missed: nothing to upload or plan."""
        return now - row.due_at > self.workspaces.settings(row.team_id).late_limit

    def _notes(self, tr: Translator, figures: WeekFigures) -> list[str]:
        """The features' sentences for the digest (e.g. meetings replaced by updates)."""
        return self.hooks.digest_notes(tr, figures.team_id, figures.week_start, figures.week_end)

    def _name_of(self, team_id: str):
        def name_of(user_id: str) -> str:
            person = self.directory.cached(team_id, user_id)
            return person.name if person and person.name else user_id

        return name_of

    def _chart(
        self,
        team_id: str,
        user_id: str,
        figures: WeekFigures,
        kind: str,
        draw: Callable[[], Picture],
    ) -> blocks.Image | None:
        """The chart of this week and kind for this person: the one already uploaded, or
        drawn and uploaded to their DM now. None when Slack refuses (the DM goes without)."""
        week = int(figures.week_start.timestamp())
        kept = self.history.chart(team_id, user_id, week, kind)
        if kept is None:
            picture = draw()
            try:
                file_id = self._upload(team_id, user_id, picture)
            except (SlackApiError, SlackClientError, OSError, KeyError) as error:
                log.warning("chart for %s in %s not uploaded: %r", user_id, team_id, error)
                return None
            kept = Chart(file_id, picture.alt, picture.caption, week, kind)
            self.history.keep_chart(team_id, user_id, kept)
        return blocks.Image(kept.file_id, kept.alt, kept.caption)

    def _upload(self, team_id: str, user_id: str, picture: Picture) -> str:
        """Slack shares files in conversations only: the person's DM, by its D… id."""
        client = self.client_for(team_id)
        dm = client.conversations_open(users=user_id)["channel"]["id"]
        done = client.files_upload_v2(
            channel=dm,
            content=picture.png,
            filename=picture.filename,
            title=picture.filename,
            alt_txt=picture.alt,
        )
        return done["file"]["id"]


def _nothing_to_say(figures: WeekFigures) -> bool:
    """No meetings this week or the week before: a quiet workspace gets no digest."""
    before = figures.previous.occurrences if figures.previous else 0
    return not figures.totals.occurrences and not before


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
