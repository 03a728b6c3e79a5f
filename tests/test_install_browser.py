"""Issue 14: the install pages in a real headless browser (Debian's Chromium, driven by
Selenium) through the whole redirect: SalesMeet's install page, Add to Slack, Allow or
Cancel on the Slack double's authorize page, its oauth.v2.access, and back to
SalesMeet's success or cancelled page. `.ci/run` installs Chromium when it can."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.workspace import GLOBEX
from tests.test_oauth import Served, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = Path(os.environ.get("SALESMEET_INSTALL_SCREENSHOT", "/tmp/install-success.png"))

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium: `apt-get install chromium chromium-driver` to run the"
    " install pages in a headless browser",
)


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path) as served:
        yield served


def chromium(language: str = "en"):
    """Debian's Chromium, headless, through Debian's chromedriver (nothing downloaded)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1000,800",
        f"--lang={language}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    return driver


def install(served: Served, team_id: str, user_id: str, button: str, language: str = "en"):
    """Open /slack/install, click Add to Slack, then `button` on Slack's page; the page
    the browser lands on: its heading, its text, and the driver (still open)."""
    from selenium.webdriver.common.by import By

    served.fake.sign_in(team_id, user_id)
    driver = chromium(language)
    driver.get(f"{served.url}/slack/install")
    assert driver.title.endswith("SalesMeet"), driver.page_source
    driver.find_element(By.ID, "add-to-slack").click()
    assert driver.current_url.startswith(served.fake.authorize_url), driver.current_url
    driver.find_element(By.ID, button).click()
    assert driver.current_url.startswith(f"{served.url}/slack/oauth_redirect")
    heading = driver.find_element(By.TAG_NAME, "h1").text
    return heading, driver.find_element(By.TAG_NAME, "body").text, driver


def test_add_to_slack_then_allow_lands_on_the_success_page(served):
    heading, text, driver = install(served, "T2", GLOBEX.members[0].user_id, "allow")
    try:
        assert heading == "SalesMeet is installed in Globex", text
        assert "@SalesMeet" in text and "/salesmeet help" in text
        driver.save_screenshot(str(SCREENSHOT))
    finally:
        driver.quit()
    assert served.core.dispatcher.client_for("T2").token


def test_cancel_on_slacks_page_lands_on_the_cancelled_page(served):
    heading, text, driver = install(served, "T1", "UOLIVIA", "cancel")
    driver.quit()
    assert heading == "Installation cancelled", text
    assert served.core.dispatcher.client_for("T1").token is None


def test_a_malay_browser_reads_malay(served):
    heading, text, driver = install(served, "T1", "UOLIVIA", "allow", language="ms")
    driver.quit()
    assert heading == "SalesMeet telah dipasang di Acme", text
