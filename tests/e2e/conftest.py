"""Browser tests: Playwright (sync API) driving the Debian chromium against pytest-django's live server.

No browser is downloaded: the tests use /usr/bin/chromium and are skipped when it is missing.
Screenshots of each important step go to test-artifacts/e2e/ at the repository root (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread, which makes Django
# refuse ORM calls from the test body ("You cannot call this from an async context"). The session
# browser outlives each test, so this is set for the whole process, not per test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"e2e: no chromium at {CHROMIUM} (install the Debian 'chromium' package); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="e2e: the playwright Python package is not installed")
    pw = sync_api.sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as e:  # a broken chromium install: say so instead of erroring every test
        pw.stop()
        pytest.skip(f"e2e: chromium at {CHROMIUM} could not be started by Playwright: {e}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test, Indonesian locale, desktop viewport.

    `page.js_errors` collects uncaught JavaScript errors; tests assert it stays empty.
    """
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def shot(page, artifacts, request):
    """shot("03-program-new") saves a full-page PNG; phone=True takes it at 390x844 (warning if the page
    scrolls sideways there) and restores the desktop viewport."""
    # test_organiser_runs_a_program_from_... -> organiser_runs_a_program--04-program-planned.png
    words = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name).removeprefix("test_").split("_")
    prefix = "_".join(w for w in words[:4] if w)

    def take(name: str, *, phone: bool = False) -> Path:
        path = artifacts / f"{prefix}--{name}.png"
        if phone:
            page.set_viewport_size(PHONE)  # the page re-lays out; no reload, so unsaved form input stays
        try:
            page.screenshot(path=str(path), full_page=True)
            if phone:
                # A layout problem to report, not a broken flow: warn, do not fail.
                wide, view = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                if wide > view:
                    warnings.warn(f"{path.name}: page is {wide}px wide in a {view}px viewport (scrolls sideways)", stacklevel=2)
        finally:
            if phone:
                page.set_viewport_size(DESKTOP)
        return path

    return take


@pytest.fixture(scope="session", autouse=True)
def _clean_artifacts():
    # Start each run with an empty folder so stale screenshots are not mistaken for new ones.
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
