"""A real browser: Playwright driving Debian's Chromium against the app served on a free local port."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

# Found on PATH (Debian installs /usr/bin/chromium), so a run with it hidden from PATH skips.
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
# The machine has no outside network: keep Chromium from trying to reach it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A page that refreshes itself every 5 s (the pitch-day board, a judge's phone) on a machine busy with
# the rest of the suite may take longer than Playwright's 5 s to show a change: assertions wait 15 s.
try:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
except ImportError:  # a bare machine: the browser tests skip
    pass


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM or not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                "REQUIRE_BROWSER=1 but Chromium is neither on PATH nor at CHROMIUM_PATH (apt-get install chromium)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium); set REQUIRE_BROWSER=1 to fail instead")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(_app):
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def base_url(app, live_server):
    """The live server's address; depends on `app` so every test starts with empty tables."""
    app.config["BASE_URL"] = live_server
    return live_server


@pytest.fixture
def phone(browser, base_url):
    """A 360 px wide phone screen."""
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 780}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessible(axe):
    """check_accessible(page): no serious or critical axe-core violation on the page."""
    checked = []

    def check(page):
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{page.url}: {bad}"
        checked.append(page.url)

    check.checked = checked
    return check


def assert_no_horizontal_scroll(page):
    """Nothing wider than the screen. A mobile viewport widens itself to fit wide content,
    so the window's width is checked against the screen's too."""
    screen = page.viewport_size["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.evaluate("window.innerWidth")
    assert (width, window) == (screen, screen), f"{page.url} scrolls sideways: {width}px content, {screen}px screen"
