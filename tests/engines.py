"""The three browser engines behind one small driver, for the tests that run everywhere.

- Chromium: Debian's ``chromium``, driven by Playwright: a context of the tests' browser.
- Firefox: Debian's ``firefox-esr``, driven by puppeteer-core over WebDriver BiDi from
  Node (``tests/firefox_bridge.mjs``): Playwright 1.65 cannot drive Firefox 153 ESR.
- WebKit: Debian's ``webkit2gtk-driver`` (``WebKitWebDriver``) and WebKitGTK's
  MiniBrowser, driven by Selenium with explicit paths (nothing is downloaded), on a
  virtual screen (Xvfb): the MiniBrowser has no headless mode.

WebKitWebDriver has no log API, so every engine's pages are served by
:func:`recording_server`, which adds a test-only script to each page (never to the built
files) that posts console errors, uncaught exceptions and CSP violations back to the
server; Chromium and Firefox also report their own console.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.site_server import Handler, Server, serve
from tests.browser import LOAD_TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("chromium", "firefox", "webkit")
WIDTH, HEIGHT = 1280, 900
POLL_S = 0.1

RECORDER_PATH = "/__test__/recorder.js"
ERRORS_PATH = "/__test__/errors"
RECORDER = """// Test-only (tests/engines.py): report this page's errors to the test server.
(() => {
  const report = (kind, text) => {
    navigator.sendBeacon("ERRORS_PATH", `${kind}: ${text} (${location.pathname})`);
  };
  const original = console.error;
  console.error = (...args) => {
    const texts = args.map((arg) => [String(arg), arg?.stack].filter(Boolean).join(" "));
    report("console", texts.join(" "));
    original.apply(console, args);
  };
  addEventListener("error", (event) => {
    const target = event.target;
    // Firefox and WebKit fire "error" on <link rel="next"> they do not prefetch: no fault.
    const hint = ["next", "prev"].some((rel) => target.relList?.contains(rel));
    if (target instanceof HTMLLinkElement && hint) return;
    report("error", event.message || `${target.tagName} ${target.src || target.href}`);
  }, true);
  addEventListener("unhandledrejection", (event) => report("rejection", String(event.reason)));
  document.addEventListener("securitypolicyviolation",
    (event) => report("csp", `${event.violatedDirective} ${event.blockedURI}`));
})();
""".replace("ERRORS_PATH", ERRORS_PATH)


class RecordingHandler(Handler):
    """The production-like handler, plus the recorder in every page and its endpoint."""

    recorded: list[str]

    def _send(self, path: Path, body: bytes, coding: str | None,
              status: int = 200) -> Any:
        if path.suffix == ".html" and coding is None:
            tag = f'<script src="{RECORDER_PATH}"></script>'.encode()
            body = body.replace(b"<head>", b"<head>" + tag, 1)
        return super()._send(path, body, coding, status)

    def send_head(self):  # type: ignore[no-untyped-def]
        """The recorder script, or what the site serves."""
        if self.path == RECORDER_PATH:
            self.served = "recorder.js"
            return self._send(Path("recorder.js"), RECORDER.encode(), None)
        return super().send_head()

    def do_POST(self) -> None:
        """An error posted by the recorder."""
        length = int(self.headers.get("Content-Length") or 0)
        text = self.rfile.read(min(length, 10_000)).decode("utf-8", "replace")
        if self.path == ERRORS_PATH:
            type(self).recorded.append(text)
        self.send_response(204)
        self.end_headers()


@contextlib.contextmanager
def recording_server(site: Path) -> Iterator[tuple[Server, list[str]]]:
    """``site`` served as production does, with the recorder; the errors it records."""
    recorded: list[str] = []
    handler = type("Recording", (RecordingHandler,), {"recorded": recorded})
    with serve(site, handler=handler) as server:
        yield server, recorded


class Driver:
    """One page of one engine: what the cross-engine tests need, nothing more."""

    engine = ""
    version = ""

    def goto(self, url: str) -> None:
        """Load ``url`` and wait for its ``load`` event."""
        raise NotImplementedError

    def click(self, css: str) -> None:
        """A real pointer click in the middle of the first visible element matching ``css``."""
        raise NotImplementedError

    def type(self, css: str, text: str, key: str | None = None) -> None:
        """Click the field, type ``text`` key by key, then press ``key`` (``Tab``…)."""
        raise NotImplementedError

    def evaluate(self, body: str) -> Any:
        """Run ``body`` as the body of an async function in the page; what it returns."""
        raise NotImplementedError

    def errors(self) -> list[str]:
        """The engine's own console errors and exceptions since the last call."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def wait(self, condition: str, what: str, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
        """Poll the JavaScript expression ``condition`` until it is truthy."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            if self.evaluate(f"return !!(await ({condition}));"):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.engine}: {what} never happened ({condition})")
            time.sleep(POLL_S)

    def visible(self, css: str) -> bool:
        quoted = json.dumps(css)
        return bool(self.evaluate(
            f"const e = document.querySelector({quoted}); "
            "return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0;"))

    def text(self, css: str) -> str:
        return self.evaluate(
            f"const e = document.querySelector({json.dumps(css)}); return e ? e.innerText : '';")


class ChromiumDriver(Driver):
    engine = "chromium"

    def __init__(self, browser: Browser) -> None:
        """A fresh context of ``browser`` (the tests' Chromium: one Playwright per thread)."""
        self.version = browser.version
        self._context = browser.new_context(
            locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
        self._context.set_default_timeout(LOAD_TIMEOUT_MS)
        self.page = self._context.new_page()
        self._errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error"
                     and self._errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self._errors.append(f"exception: {e}"))

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def click(self, css: str) -> None:
        self.page.locator(css).first.click()

    def type(self, css: str, text: str, key: str | None = None) -> None:
        field = self.page.locator(css).first
        field.click()
        field.press_sequentially(text)
        if key:
            field.press(key)

    def evaluate(self, body: str) -> Any:
        return self.page.evaluate(f"async () => {{ {body} }}")

    def errors(self) -> list[str]:
        seen, self._errors = self._errors, []
        return seen

    def close(self) -> None:
        self._context.close()


class FirefoxDriver(Driver):
    engine = "firefox"

    def __init__(self) -> None:
        path = shutil.which("firefox-esr") or shutil.which("firefox")
        if path is None:
            raise RuntimeError("firefox-esr introuvable : lancez « make browsers »")
        self._bridge = subprocess.Popen(
            ["node", str(ROOT / "tests" / "firefox_bridge.mjs"), path, str(WIDTH), str(HEIGHT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
            cwd=ROOT)
        self._next = 0
        self._answer(0)  # "ready"
        self.version = self._call("version")

    def _answer(self, wanted: int) -> Any:
        assert self._bridge.stdout is not None
        while True:
            line = self._bridge.stdout.readline()
            if not line:
                raise RuntimeError(f"Firefox bridge ended (code {self._bridge.poll()})")
            answer = json.loads(line)
            if answer["id"] == wanted:
                if not answer["ok"]:
                    raise AssertionError(f"firefox: {answer['error']}")
                return answer["value"]

    def _call(self, op: str, *args: Any) -> Any:
        assert self._bridge.stdin is not None
        self._next += 1
        self._bridge.stdin.write(json.dumps({"id": self._next, "op": op, "args": args}) + "\n")
        self._bridge.stdin.flush()
        return self._answer(self._next)

    def goto(self, url: str) -> None:
        self._call("goto", url)

    def click(self, css: str) -> None:
        self._call("click", css)

    def type(self, css: str, text: str, key: str | None = None) -> None:
        self._call("type", css, text, key)

    def evaluate(self, body: str) -> Any:
        return self._call("evaluate", body)

    def errors(self) -> list[str]:
        return self._call("errors")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call("close")
        try:
            self._bridge.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._bridge.kill()


def minibrowser() -> str:
    """WebKitGTK's MiniBrowser (Debian's ``libwebkit2gtk-4.1-0``, any architecture)."""
    found = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser"))
    if not found:
        raise RuntimeError("MiniBrowser introuvable : lancez « make browsers »")
    return found[0]


@contextlib.contextmanager
def virtual_screen() -> Iterator[str]:
    """An Xvfb display of its own (the number chosen by Xvfb); its name."""
    path = shutil.which("Xvfb")
    if path is None:
        raise RuntimeError("Xvfb introuvable : lancez « make browsers »")
    read, write = os.pipe()
    process = subprocess.Popen(
        [path, "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT + 124}x24",
         "-nolisten", "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as display:
        number = display.readline().strip()
    try:
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=30)


class WebKitDriver(Driver):
    engine = "webkit"

    def __init__(self, display: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        driver = shutil.which("WebKitWebDriver")
        if driver is None:
            raise RuntimeError("WebKitWebDriver introuvable : lancez « make browsers »")
        options = Options()
        options.binary_location = minibrowser()
        options.add_argument("--automation")
        self._profile = tempfile.mkdtemp(prefix="webkit-")
        env = {**os.environ, "DISPLAY": display, "XDG_DATA_HOME": self._profile,
               "XDG_CACHE_HOME": self._profile, "LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"}
        service = Service(executable_path=driver, env=env)
        self._driver = webdriver.WebKitGTK(options=options, service=service)
        self._driver.set_window_size(WIDTH, HEIGHT)
        self._driver.set_script_timeout(LOAD_TIMEOUT_MS / 1000)
        self._driver.set_page_load_timeout(LOAD_TIMEOUT_MS / 1000)
        self.version = self._driver.capabilities.get("browserVersion", "")

    def _element(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
        while True:
            for element in self._driver.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed():
                    return element
            if time.monotonic() > deadline:
                raise AssertionError(f"webkit: {css} never shown")
            time.sleep(POLL_S)

    def goto(self, url: str) -> None:
        self._driver.get(url)

    def click(self, css: str) -> None:
        self._element(css).click()

    def type(self, css: str, text: str, key: str | None = None) -> None:
        from selenium.webdriver.common.keys import Keys

        field = self._element(css)
        field.click()
        field.send_keys(text)
        if key:
            field.send_keys(getattr(Keys, key.upper()))

    def evaluate(self, body: str) -> Any:
        answer = self._driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"(async () => {{ {body} }})().then((value) => done({{value}}),"
            " (error) => done({error: String(error)}));")
        if "error" in answer:
            raise AssertionError(f"webkit: {answer['error']}")
        return answer.get("value")

    def errors(self) -> list[str]:
        return []  # no log API: the recorder's reports are the server's

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._driver.quit()
        shutil.rmtree(self._profile, ignore_errors=True)


@contextlib.contextmanager
def driver_for(engine: str, chromium: Browser | None = None) -> Iterator[Driver]:
    """A fresh browser of ``engine`` (its own profile), closed on exit; for Chromium, a
    fresh context of ``chromium``, the tests' running browser."""
    if engine == "webkit":
        with virtual_screen() as display:
            driver: Driver = WebKitDriver(display)
            try:
                yield driver
            finally:
                driver.close()
        return
    if engine == "chromium":
        if chromium is None:
            raise ValueError("Chromium: pass the tests' browser")
        driver = ChromiumDriver(chromium)
    else:
        driver = FirefoxDriver()
    try:
        yield driver
    finally:
        driver.close()
