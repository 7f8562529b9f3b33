"""Browser tests: Debian's headless Chromium driven by Playwright's Python package (no browser download), a phone
and a desktop screen, every request recorded so a test can fail on anything that leaves our origin."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
HERE = Path(__file__).resolve().parent

# Context options per screen. The phone is a 6.1" handset in portrait with touch and Chrome for Android's
# user agent (the engine is Chromium too); the desktop is the most common laptop screen.
SCREENS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36",
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


def pytest_collection_modifyitems(items) -> None:
    """Every test in this folder drives Chromium: `-m 'not browser'` leaves them out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class RecordingPage:
    """A Playwright page on one screen ("phone" or "desktop") that remembers every URL it requested."""

    def __init__(self, page, screen: str) -> None:
        self.page = page
        self.screen = screen
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests that left `origin`; data: and the page's own blob: URLs (photo previews) never do."""
        own = (origin, "data:", "blob:" + origin)
        return [url for url in self.requests if not url.startswith(own)]

    def screenshot(self, name: str) -> Path:
        """test-artifacts/<name>-<screen>.png, the viewport as the user sees it."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}-{self.screen}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., RecordingPage]]:
    """Open a page in a browser context of its own (own cookies, storage, service workers) on a screen, with
    Playwright context options on top (`java_script_enabled=False`, ...); every context is closed afterwards."""
    contexts = []

    def open_(screen: str, **options) -> RecordingPage:
        context = browser.new_context(**{"locale": "sr-Latn-RS", **SCREENS[screen], **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return RecordingPage(context.new_page(), screen)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def phone(open_page) -> RecordingPage:
    return open_page("phone")


@pytest.fixture
def desktop(open_page) -> RecordingPage:
    return open_page("desktop")


@pytest.fixture(params=["phone", "desktop"])
def screen(request) -> RecordingPage:
    """The test runs twice: once on the phone, once on the desktop."""
    return request.getfixturevalue(request.param)
