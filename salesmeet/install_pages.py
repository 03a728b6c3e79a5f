"""The installer's pages in OAuth mode: the install page (**Add to Slack**), the success
page naming the workspace and what to do next, and the failures (cancelled on Slack's
page, an expired or reused state, an error from Slack), in the browser's language
(English, Bahasa Melayu, Hindi) and the product's look, with no external assets.

Bolt's OAuth flow keeps its checks; only what the installer reads is ours:
`InstallFlow.build_install_page_html` and the success and failure `CallbackOptions`.
"""

from __future__ import annotations

from html import escape

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, translator
from entities.errors import N_

PRODUCT = "SalesMeet"
# Bolt's reasons for a state it will not accept: too old, used already, or another browser.
STATE_REASONS = ("invalid_state", "invalid_browser")
CANCELLED = "access_denied"
MAIN_FAILED = ' class="failed"'

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center;
  justify-content: center; background: #f3f5f9; color: #1d1c1d;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Sans Devanagari", sans-serif; }
main { max-width: 34rem; margin: 2rem 1rem; padding: 2.25rem 2.5rem;
  background: #fff; border-radius: 14px; border-top: 6px solid #0b6e4f;
  box-shadow: 0 6px 24px rgba(16, 24, 40, .08); }
.brand { margin: 0 0 1.25rem; font-weight: 700; letter-spacing: .02em; color: #0b6e4f; }
.brand span { display: inline-block; width: 1.6rem; height: 1.6rem; margin-right: .5rem;
  border-radius: 6px; background: #0b6e4f; color: #fff; text-align: center;
  line-height: 1.6rem; vertical-align: middle; }
h1 { margin: 0 0 .75rem; font-size: 1.5rem; line-height: 1.3; }
p { margin: 0 0 1rem; }
ol { margin: 0 0 1.25rem; padding-left: 1.4rem; }
li { margin-bottom: .4rem; }
code { padding: .1rem .35rem; border-radius: 4px; background: #eef1f5;
  font: .95em ui-monospace, SFMono-Regular, Menlo, monospace; }
.button { display: inline-block; padding: .75rem 1.4rem; border-radius: 8px;
  background: #4a154b; color: #fff; font-weight: 700; text-decoration: none; }
.button:hover, .button:focus { background: #611f69; }
main.failed { border-top-color: #b42318; }
.note { color: #5e5d60; font-size: .9rem; }
"""


# Every sentence on the pages, as catalogue ids (`make messages` extracts them).
TAGLINE = N_(
    "SalesMeet schedules your team's sales meetings in Slack, reminds everyone before they"
    " start and follows up afterwards."
)
INSTALL_TITLE = N_("Add SalesMeet to your Slack workspace")
INSTALL_BUTTON = N_("Add to Slack")
INSTALL_NOTE = N_("Slack will ask you to allow SalesMeet into your workspace.")
SUCCESS_TITLE = N_("SalesMeet is installed in {workspace}")
NEXT_STEPS = N_("What to do next:")
STEP_INVITE = N_("Invite {bot} to a channel where your team talks sales.")
STEP_HELP = N_("Type {command} to see what it can do.")
CANCELLED_TITLE = N_("Installation cancelled")
CANCELLED_TEXT = N_("You cancelled on Slack's page, so SalesMeet was not installed.")
STATE_TITLE = N_("This installation link has expired")
STATE_TEXT = N_(
    "The link was too old, was used already, or was opened in another browser."
    " Nothing was installed."
)
SLACK_ERROR_TITLE = N_("Slack could not complete the installation")
SLACK_ERROR_TEXT = N_("Nothing was installed. Slack said: {reason}")
TRY_AGAIN = N_("Try again")


def language(accept_language: str | None) -> str:
    """The first language of the browser's Accept-Language that SalesMeet speaks, by
    preference (`q`); English otherwise."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        code = tag.lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES and quality > 0:
            ranked.append((-quality, index, code))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def _header(request: BoltRequest, name: str) -> str | None:
    values = request.headers.get(name.lower()) or []
    return values[0] if values else None


def request_translator(request: BoltRequest) -> Translator:
    return translator(language(_header(request, "accept-language")))


def page(tr: Translator, title: str, body: str, failed: bool = False) -> str:
    """A whole page: `title` is plain text, `body` HTML built from escaped parts."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(tr.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{escape(title)} · {PRODUCT}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main{MAIN_FAILED if failed else ''}>\n"
        f'<p class="brand"><span>S</span>{PRODUCT}</p>\n'
        f"<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def install_page(tr: Translator, authorize_url: str) -> str:
    body = (
        f"<p>{escape(tr.gettext(TAGLINE))}</p>\n"
        f'<p><a id="add-to-slack" class="button" href="{escape(authorize_url)}">'
        f"{escape(tr.gettext(INSTALL_BUTTON))}</a></p>\n"
        f'<p class="note">{escape(tr.gettext(INSTALL_NOTE))}</p>'
    )
    return page(tr, tr.gettext(INSTALL_TITLE), body)


def success_page(tr: Translator, workspace: str) -> str:
    # Placeholders are filled after escaping the sentence, so names stay text.
    invite = escape(tr.gettext(STEP_INVITE)).format(bot=_code(f"@{PRODUCT}"))
    help_ = escape(tr.gettext(STEP_HELP)).format(command=_code("/salesmeet help"))
    body = (
        f"<p>{escape(tr.gettext(NEXT_STEPS))}</p>\n"
        f'<ol id="next-steps">\n<li>{invite}</li>\n<li>{help_}</li>\n</ol>'
    )
    return page(tr, tr.gettext(SUCCESS_TITLE).format(workspace=workspace), body)


def failure_page(tr: Translator, reason: str, install_url: str) -> str:
    """Cancelled, an expired or reused state, or anything Slack (or Bolt) refused."""
    if reason == CANCELLED:
        title, text = tr.gettext(CANCELLED_TITLE), escape(tr.gettext(CANCELLED_TEXT))
    elif reason in STATE_REASONS:
        title, text = tr.gettext(STATE_TITLE), escape(tr.gettext(STATE_TEXT))
    else:
        title = tr.gettext(SLACK_ERROR_TITLE)
        text = escape(tr.gettext(SLACK_ERROR_TEXT)).format(reason=_code(reason))
    body = (
        f'<p id="reason" data-reason="{escape(reason)}">{text}</p>\n'
        f'<p><a id="try-again" class="button" href="{escape(install_url)}">'
        f"{escape(tr.gettext(TRY_AGAIN))}</a></p>"
    )
    return page(tr, title, body, failed=True)


class InstallFlow(OAuthFlow):
    """Bolt's OAuth flow with SalesMeet's install page."""

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_page(request_translator(request), url)


def callback_options(install_path: str) -> CallbackOptions:
    """The success and failure pages after Slack sends the installer back; both clear
    the state cookie, as Bolt's own do."""

    def _response(args: SuccessArgs | FailureArgs, status: int, html: str) -> BoltResponse:
        state_utils = args.settings.state_utils
        return BoltResponse(
            status=status,
            headers={
                "Content-Type": "text/html; charset=utf-8",
                "Set-Cookie": state_utils.build_set_cookie_for_deletion(),
                "Cache-Control": "no-store",
            },
            body=html,
        )

    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        workspace = (
            installation.team_name or installation.enterprise_name or installation.team_id or ""
        )
        return _response(args, 200, success_page(request_translator(args.request), workspace))

    def failure(args: FailureArgs) -> BoltResponse:
        tr = request_translator(args.request)
        html = failure_page(tr, args.reason, install_path)
        return _response(args, args.suggested_status_code, html)

    return CallbackOptions(success=success, failure=failure)
