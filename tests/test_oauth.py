"""Issue 14, many workspaces: the OAuth v2 round trip through the real HTTP server and the
Slack double's authorize page and oauth.v2.access, followed as a browser does (cookies,
redirects); then each workspace's commands and timed posts use its own token."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
import yaml
from slack_sdk.oauth.installation_store import Installation

from bot.clock import ManualClock
from bot.i18n import translator
from bot.installs import BOT_SCOPES
from salesmeet.compose import create_app, open_database
from salesmeet.config import Settings
from salesmeet.install_pages import failure_page, language, success_page
from salesmeet.transport import http_server
from simulator.webapi import FakeSlack
from simulator.workspace import ACME, GLOBEX
from storage.installations import InstallationRows
from storage.seal import Seal
from tests.support.requests import JSON, event_body, post, signature_headers, slash_command_body

SECRET = "oauth-test-signing-secret"
KEY = "a-secret-key-of-at-least-thirty-two-characters"
CLIENT_ID, CLIENT_SECRET = "111.222", "client-secret-for-tests"
ROOT = Path(__file__).resolve().parents[1]


class Served:
    """SalesMeet in OAuth mode on a free port, and a browser with its own cookies."""

    def __init__(self, tmp_path: Path, fake: FakeSlack, retention_days: int = 30) -> None:
        self.fake = fake
        self.clock = ManualClock(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
        self.database = open_database(str(tmp_path / "salesmeet.db"))
        self.db_path = tmp_path / "salesmeet.db"
        settings = Settings(
            signing_secret=SECRET,
            api_url=fake.url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            secret_key=KEY,
            public_url="http://127.0.0.1:0",  # set below, once the port is known
            authorize_url=fake.authorize_url,
            retention_days=retention_days,
        )
        # The redirect URI names the port, so bind first, then build the app.
        probe = http_server(_Nothing(), 0, signing_secret=SECRET, host="127.0.0.1")
        port = probe.effective_port
        probe.close()
        settings = replace(settings, public_url=f"http://127.0.0.1:{port}")
        self.app, self.core = create_app(settings, self.clock, self.database)
        self.server = http_server(self.app, port, signing_secret=SECRET, host="127.0.0.1")
        self.url = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.run, daemon=True).start()

    def browser(self):
        """A browser's cookies. Bolt's state cookie is Secure; browsers send Secure
        cookies to http://localhost (a secure context), and so does this one."""
        return build_opener(HTTPCookieProcessor(CookieJar(policy=_Localhost())))

    def install(
        self, team_id: str, user_id: str, allow: bool = True, language: str | None = None
    ) -> tuple[int, str]:
        """Open the install page, press Add to Slack, then Allow (or Cancel) on Slack's."""
        status, page, _link = self.install_link(team_id, user_id, allow, language)
        return status, page

    def install_link(
        self, team_id: str, user_id: str, allow: bool = True, language: str | None = None
    ) -> tuple[int, str, str]:
        """As `install`, and the link Slack sent the browser back with."""
        self.fake.sign_in(team_id, user_id)
        browser = self.browser()
        if language:
            browser.addheaders.append(("Accept-Language", language))
        page = browser.open(f"{self.url}/slack/install").read().decode()
        authorize = re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', page)
        assert authorize, page
        slack_page = browser.open(unescape(authorize.group(1))).read().decode()
        button = "allow" if allow else "cancel"
        link = unescape(re.search(rf'id="{button}" href="([^"]+)"', slack_page).group(1))
        status, answer = self.open(browser, link)
        return status, answer, link

    @staticmethod
    def open(browser, url: str) -> tuple[int, str]:
        try:
            answer = browser.open(url)
            return answer.status, answer.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()

    def command(self, text: str, team_id: str, user_id: str) -> int:
        body = slash_command_body(
            team_id=team_id,
            user_id=user_id,
            channel_id="CSALES",
            text=text,
            response_url=self.fake.response_url(f"{team_id}-{text[:8]}"),
        )
        status, _headers, _text = post(
            f"{self.url}/slack/events", body, signature_headers(SECRET, body)
        )
        return status

    def close(self) -> None:
        self.server.close()
        self.core.alarm.stop()
        self.database.close()


class _Localhost(DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request) -> bool:
        return True


class _Nothing:
    """A stand-in app for binding a port before the real one exists."""

    oauth_flow = None


@contextmanager
def serving(tmp_path: Path, retention_days: int = 30):
    """SalesMeet in OAuth mode, with Acme and Globex able to install it."""
    with FakeSlack() as fake:
        fake.add_workspace(replace(ACME, bot_token="xoxb-acme-unused"))
        fake.add_workspace(replace(GLOBEX, bot_token="xoxb-globex-unused"))
        fake.add_oauth_app(CLIENT_ID, CLIENT_SECRET)
        served = Served(tmp_path, fake, retention_days=retention_days)
        try:
            yield served
        finally:
            served.close()


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path) as served:
        yield served


def test_two_workspaces_install_and_each_uses_its_own_token(served):
    status, page = served.install("T1", "UOLIVIA")
    assert status == 200, page
    status, page = served.install("T2", GLOBEX.members[0].user_id)
    assert status == 200, page
    installs = served.core.dispatcher.client_for
    acme, globex = installs("T1").token, installs("T2").token
    assert acme and globex and acme != globex
    assert served.command('schedule "Acme forecast" tomorrow 3pm', "T1", "UMAYA") == 200
    assert (
        served.command('schedule "Globex forecast" tomorrow 3pm', "T2", GLOBEX.members[0].user_id)
        == 200
    )
    served.fake.wait_for("chat.postMessage", count=2, timeout=10)
    for call in served.fake.calls_to("chat.postMessage"):
        title = str(call.params.get("text"))
        # The double checks the bearer token: each post went out as its own workspace.
        assert call.team_id == ("T1" if "Acme" in title else "T2"), (title, call.team_id)


def test_a_reinstall_replaces_the_token(served):
    served.install("T1", "UOLIVIA")
    first = served.core.dispatcher.client_for("T1").token
    served.install("T1", "UOLIVIA")
    second = served.core.dispatcher.client_for("T1").token
    assert first != second
    assert served.command('schedule "After reinstall" tomorrow 3pm', "T1", "UMAYA") == 200
    served.fake.wait_for("chat.postMessage", count=1, timeout=10)
    (post_call,) = served.fake.calls_to("chat.postMessage")
    assert post_call.token == second and post_call.team_id == "T1"


def test_slack_vouches_for_a_token_once_not_before_every_ack(served):
    served.install("T1", "UOLIVIA")
    checked = len(served.fake.calls_to("auth.test"))
    for n in range(3):
        assert served.command(f'schedule "Forecast {n}" tomorrow 3pm', "T1", "UMAYA") == 200
    served.fake.wait_for("chat.postMessage", count=3, timeout=10)
    assert len(served.fake.calls_to("auth.test")) - checked == 1
    # Uninstalled: no token to find, so the next request is refused, cache or not.
    served.fake.wait_for_response(count=3, timeout=10)
    uninstall = uninstall_event("T1")
    headers = signature_headers(SECRET, uninstall, content_type=JSON)
    assert post(f"{served.url}/slack/events", uninstall, headers)[0] == 200
    deadline = time.monotonic() + 10
    while served.core.dispatcher.client_for("T1").token and time.monotonic() < deadline:
        time.sleep(0.05)
    answered = len(served.fake.responses)
    assert served.command('schedule "After uninstall" tomorrow 3pm', "T1", "UMAYA") == 200
    (refusal,) = served.fake.wait_for_response(count=answered + 1, timeout=10)[answered:]
    assert "Scheduled" not in str(refusal.body)


def test_cancel_on_slacks_page_installs_nothing(served):
    status, page = served.install("T1", "UOLIVIA", allow=False)
    assert status >= 400 or "cancel" in page.lower() or "error" in page.lower()
    assert served.core.dispatcher.client_for("T1").token is None


def test_no_token_is_stored_in_the_clear(served):
    served.install("T1", "UOLIVIA")
    token = served.core.dispatcher.client_for("T1").token
    served.database.close()
    raw = b"".join(p.read_bytes() for p in served.db_path.parent.iterdir() if p.is_file())
    assert token and token.encode() not in raw
    served.database = open_database(str(served.db_path))  # for close()


def test_the_scopes_asked_are_the_manifests():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])


def uninstall_event(team_id: str) -> str:
    return event_body(
        team_id=team_id,
        event={"type": "app_uninstalled", "event_ts": "1796000000.000100"},
    )


def test_uninstall_with_retention_zero_leaves_no_row_of_that_workspace(tmp_path):
    with serving(tmp_path, retention_days=0) as served:
        served.install("T1", "UOLIVIA")
        served.install("T2", GLOBEX.members[0].user_id)
        assert served.command('schedule "Acme" tomorrow 3pm', "T1", "UMAYA") == 200
        assert served.command("language ms", "T1", "UMAYA") == 200
        assert (
            served.command('schedule "Globex" tomorrow 3pm', "T2", GLOBEX.members[0].user_id) == 200
        )
        served.fake.wait_for("chat.postMessage", count=2, timeout=10)
        served.fake.revoke("T1")  # Slack revokes the tokens, then tells the app
        body = uninstall_event("T1")
        status, _headers, _text = post(
            f"{served.url}/slack/events",
            body,
            signature_headers(SECRET, body, content_type=JSON),
        )
        assert status == 200
        deadline = time.monotonic() + 10
        while rows_of(served.db_path, "T1") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rows_of(served.db_path, "T1") == {}
        assert rows_of(served.db_path, "T2")  # the other workspace keeps everything
        assert served.core.dispatcher.client_for("T1").token is None


def rows_of(db_path: Path, team_id: str) -> dict[str, int]:
    """Every table's rows that name the workspace."""
    found = {}
    with closing(sqlite3.connect(db_path)) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            if "team_id" in columns:
                count = db.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE team_id = ?', [team_id]
                ).fetchone()[0]
                if count:
                    found[table] = count
    return found


def test_a_refused_token_holds_the_workspaces_posts(served):
    served.install("T1", "UOLIVIA")
    assert served.command('schedule "Held" in 20 minutes', "T1", "UMAYA") == 200
    served.fake.wait_for("chat.postMessage", count=1, timeout=10)
    served.fake.revoke("T1")  # deactivated: every call is invalid_auth now
    before = len(served.fake.calls_to("chat.postMessage"))
    served.clock.advance(timedelta(minutes=6))  # the reminder is due
    served.core.alarm.run_pass()
    refused = len(served.fake.calls_to("chat.postMessage")) - before
    assert refused >= 1  # the due posts were tried (those already in flight together)
    served.clock.advance(timedelta(minutes=5))
    served.core.alarm.run_pass()
    # Held: not tried again, however often the alarm rings.
    assert len(served.fake.calls_to("chat.postMessage")) - before == refused
    assert served.core.dispatcher.deliveries.held("T1")
    served.install("T1", "UOLIVIA")  # installed again: the held post goes out
    served.core.alarm.run_pass()
    assert any(
        "Held" in str(c.params.get("text"))
        for c in served.fake.calls_to("chat.postMessage")[before + 1 :]
    )


# The installer's pages (salesmeet/install_pages.py): the product's, in the browser's language.


def test_the_install_page_is_salesmeets(served):
    browser = served.browser()
    page = browser.open(f"{served.url}/slack/install").read().decode()
    assert "<!DOCTYPE html>" in page and 'lang="en"' in page
    assert "SalesMeet" in page and "Add to Slack" in page
    assert "sales meetings" in page
    assert 'id="add-to-slack"' in page and "oauth/v2/authorize" in page
    assert "http://" not in page.split("<style>")[1].split("</style>")[0]  # no external assets


def test_the_success_page_names_the_workspace_and_what_to_do_next(served):
    status, page = served.install("T2", GLOBEX.members[0].user_id)
    assert status == 200, page
    assert "SalesMeet is installed in Globex" in page
    assert "@SalesMeet" in page and "/salesmeet help" in page


def test_the_cancelled_page_says_so(served):
    status, page = served.install("T1", "UOLIVIA", allow=False)
    assert status == 200
    assert "Installation cancelled" in page and 'data-reason="access_denied"' in page
    assert 'href="/slack/install"' in page  # try again


def test_a_reused_state_is_refused_and_says_the_link_expired(served):
    status, page, link = served.install_link("T1", "UOLIVIA")
    assert status == 200 and "installed in Acme" in page
    status, page = served.open(served.browser(), link)  # the same link again
    assert status >= 400
    assert "This installation link has expired" in page
    assert served.core.dispatcher.client_for("T1").token  # the first install stands


def test_a_slack_error_is_named(served):
    status, page = served.open(
        served.browser(), f"{served.url}/slack/oauth_redirect?error=invalid_scope&state=x"
    )
    assert status == 200  # Bolt's suggested status for an error Slack sent back
    assert "Slack could not complete the installation" in page
    assert "<code>invalid_scope</code>" in page


def test_the_pages_speak_the_browsers_language(served):
    status, page = served.install("T2", GLOBEX.members[0].user_id, language="ms,en;q=0.8")
    assert status == 200, page
    assert 'lang="ms"' in page and "SalesMeet telah dipasang di Globex" in page
    status, page = served.install("T1", "UOLIVIA", allow=False, language="hi-IN,hi;q=0.9")
    assert 'lang="hi"' in page and "इंस्टॉलेशन रद्द किया गया" in page
    browser = served.browser()
    browser.addheaders.append(("Accept-Language", "fr-FR,fr;q=0.9"))
    assert "Add to Slack" in browser.open(f"{served.url}/slack/install").read().decode()


def test_names_on_the_pages_are_escaped():
    page = success_page(translator("en"), "<script>alert(1)</script>")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<script" not in failure_page(translator("en"), "<script>", "/slack/install")
    assert language("fr, hi;q=0.5, ms;q=0.7") == "ms"
    assert language("en-GB;q=0.1, hi") == "hi"
    assert language(None) == language("de") == "en"


def test_a_workspace_of_an_org_wide_install_posts_with_the_orgs_token(served):
    """Enterprise Grid: installed once for the org (keyed by enterprise, no team). A
    workspace of the org is named by no install; its first request says which org it is
    in, and from then on its timed posts find the org's token."""
    # Slack answers the org's token (auth.test) for its workspace T3.
    served.fake.add_workspace(replace(ACME, team_id="T3", bot_token="xoxb-org-e1"))
    rows = InstallationRows(served.database, Seal(KEY), served.clock)
    rows.save(
        Installation(
            app_id="A1",
            enterprise_id="E1",
            team_id=None,
            bot_token="xoxb-org-e1",
            bot_id="BORG",
            bot_user_id="UBOTORG",
            bot_scopes=",".join(BOT_SCOPES),
            user_id="UINSTALLER",
            is_enterprise_install=True,
        )
    )
    posts_for = served.core.dispatcher.client_for
    assert posts_for("T3").token is None  # not seen yet: no install names T3
    body = slash_command_body(
        team_id="T3",
        user_id="UMAYA",
        channel_id="CSALES",
        text="help",
        response_url=served.fake.response_url("grid"),
        enterprise_id="E1",
        is_enterprise_install=True,
    )
    status, _, _ = post(f"{served.url}/slack/events", body, signature_headers(SECRET, body))
    assert status == 200
    assert posts_for("T3").token == "xoxb-org-e1"
    assert posts_for("T4").token is None  # another workspace, never seen
    with closing(sqlite3.connect(served.database.path)) as db:
        assert db.execute("SELECT team_id, enterprise_id FROM workspace_orgs").fetchall() == [
            ("T3", "E1")
        ]
