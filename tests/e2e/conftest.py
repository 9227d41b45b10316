"""Browser tests: Playwright's Python API driving Debian's Chromium (installed by `make test`)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# are still synchronous, so Django's async-safety guard must be relaxed for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# axe-core, fetched from the npm registry by `make axe` (part of `make test`), which names it.
AXE_CORE = os.environ.get("AXE_CORE") or next(
    iter(sorted(ARTIFACTS.parent.glob("var/axe-core-*/node_modules/axe-core/axe.min.js"))[-1:]),
    None,
)
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy, as its console said it."""
    return []


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every browser test also checks that nothing on its pages broke the policy.
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and csp_violations.append(f"{page.url}: {message.text}")
        ),
    )
    yield page
    context.close()
    assert not csp_violations, csp_violations


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


class Axe:
    """axe-core run over the page as it is now; serious and critical violations are kept per
    page state, and the test asserts at its end that there were none (`assert_clean`)."""

    def __init__(self, page):
        self.page, self.results = page, {}

    def check(self, name: str) -> None:
        self.page.wait_for_load_state()
        # No CSSOM preload: axe would copy the admin's stylesheets into <style> elements of its
        # own, which the CSP refuses (only css-orientation-lock reads them; we lock nothing).
        result = self.page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations'], preload: false})"
        )
        self.results[name] = [
            f"{v['id']} ({v['impact']}): {v['help']}: "
            + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]

    def assert_clean(self, at_least: int) -> None:
        assert len(self.results) >= at_least, sorted(self.results)
        failing = {name: found for name, found in self.results.items() if found}
        assert not failing, failing


@pytest.fixture
def axe(page):
    if not AXE_CORE or not Path(AXE_CORE).exists():
        pytest.fail("axe-core not found: `make axe` fetches it (`make test` does it first).")
    # An init script runs in every document the page opens, outside the page's own CSP.
    page.add_init_script(path=AXE_CORE)
    return Axe(page)
