"""Every visible text of the email meets WCAG AA contrast, in light and in dark mode, in real Chromium.

The seeds' edition is rendered (message and archive page) and loaded in headless Chromium driven
over the DevTools protocol (``--remote-debugging-pipe``: JSON messages on file descriptors 3
and 4, no extra package).  ``Emulation.setEmulatedMedia`` sets ``prefers-color-scheme`` to
``light`` or ``dark``, as Apple Mail, iOS Mail and Outlook for Mac do from the system setting
(``--force-dark-mode`` is not a reliable way to get the media query).  For each visible text
node the page computes its colour, its effective background (the first opaque background up
its ancestors, translucent ones composited) and the WCAG 2.x contrast ratio; any text under
4.5:1 (3:1 for large text: 24 px, or 18.66 px bold) fails.  Screenshots go to
``test-output/screenshots/``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from composer.config import Settings
from composer.edition import assemble_edition
from composer.ingest.sources import read_text_file
from composer.models import ToneBalance
from composer.paths import templates_dir
from composer.perspectives.templates import PerspectiveTemplates
from composer.render import email_environment, personalize, render_edition
from tests.conftest import REPO, SEEDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)

# Computes, in the page, every visible text node's colour, background and contrast ratio.
CONTRAST_JS = r"""
(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]*)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  // What shows through when nothing sets a background: the canvas of the used colour scheme.
  const canvas = dark ? [18, 18, 18, 1] : [255, 255, 255, 1];
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    return layers.reduceRight((below, layer) => over(layer, below), canvas);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    const owner = el.closest("[class]");
    const classes = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) classes.push(...e.classList);
    texts.push({
      text: node.data.trim().slice(0, 60),
      where: el.tagName.toLowerCase() + (owner ? "." + owner.className.split(" ").join(".") : ""),
      classes: classes,
      color: hex(fg),
      background: hex(bg),
      ratio: Math.round(ratio(fg, bg) * 100) / 100,
      need: large ? 3 : 4.5,
    });
  }
  const card = parse(getComputedStyle(document.querySelector(".container") || document.body).backgroundColor);
  return JSON.stringify({ dark: dark, card: card ? lum(card) : null, texts: texts });
})()
"""


class Chromium:
    """Headless Chromium over the DevTools protocol on a pipe (fd 3: commands in, fd 4: replies out)."""

    def __init__(self) -> None:
        assert CHROMIUM, "Chromium is required in CI"
        self.profile = tempfile.mkdtemp(prefix="composer-chromium-")
        commands_r, commands_w = os.pipe()
        replies_r, replies_w = os.pipe()

        def child_fds() -> None:  # in the child, before exec: put the pipe ends on fds 3 and 4
            a = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=child_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands_r)
        os.close(replies_w)
        self._out = os.fdopen(commands_w, "wb", buffering=0)
        self._in = os.fdopen(replies_r, "rb", buffering=0)
        self._buffer = b""
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result (events arriving meanwhile are dropped)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = self._in.read(1 << 16)
                assert chunk, f"Chromium closed the DevTools pipe during {method}"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, self.session, **params)

    def evaluate(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def open(self, url: str, scheme: str) -> None:
        """Load ``url`` with ``prefers-color-scheme: scheme`` and wait until it has loaded."""
        self.page("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": scheme}])
        self.page("Page.navigate", url=url)
        deadline = time.monotonic() + 15
        while self.evaluate("location.href + ' ' + document.readyState") != f"{url} complete":
            assert time.monotonic() < deadline, f"{url} did not load"
            time.sleep(0.02)

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError):  # the browser may be gone already
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()
        self._in.close()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    chromium = Chromium()
    chromium.page(
        "Emulation.setDeviceMetricsOverride", width=800, height=1400, deviceScaleFactor=1, mobile=False
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeds' edition as a subscriber's message and as the archive page, as files.

    The first entry is marked as rewritten by the editor and the tone balance carries a warning,
    so that every styled element (edit notes, warning, empty sections, links) is on the page.
    """
    articles = [read_text_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    edition = assemble_edition(
        "2026-12-02-1",
        "La Lettre — édition de référence",
        "2026-12-02",
        articles,
        PerspectiveTemplates([templates_dir()], "fr"),
        introduction="Premier paragraphe : cinq articles.\n\nSecond paragraphe, 33 % de mots en plus.",
    )
    first = replace(edition.items[0], edited=("chapo", "essentiel"))
    edition = replace(
        edition,
        items=(first, *edition.items[1:]),
        balance=ToneBalance(0.2, 0.8, 0.0, "Édition très négative : 80 % des articles."),
    )
    settings, env = Settings(), email_environment([templates_dir()])
    root = tmp_path_factory.mktemp("dark")
    message = personalize(
        render_edition(edition, settings, env).html,
        "https://newsletter.example.org/unsubscribe/token",
        "alice@example.org",
    )
    out = {"message": root / "message.html", "archive": root / "archive.html"}
    out["message"].write_text(message, encoding="utf-8")
    out["archive"].write_text(render_edition(edition, settings, env, archive=True).html, encoding="utf-8")
    return out


def measure(browser: Chromium, path: Path, scheme: str) -> dict[str, Any]:
    browser.open(path.as_uri(), scheme)
    return json.loads(browser.evaluate(CONTRAST_JS))


def _table(texts: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {t['ratio']:5.2f} (needs {t['need']}) {t['color']} on {t['background']}"
        f"  {t['where']}: {t['text']!r}"
        for t in texts
    )


# Elements whose colour the stylesheet sets: each must be measured at least once on the page.
STYLED = {
    "webview", "masthead-name", "edition-title", "edition-date", "intro", "balance-label", "balance-warning",
    "article-link", "article-title", "subtitle", "byline", "chapo", "frame", "essentiel-title", "essentiel",
    "section-heading", "section", "section-empty", "note", "notes-title", "notes-n", "notes-link",
    "notes-list", "footer",
}  # fmt: skip


@pytest.mark.parametrize("name", ["message", "archive"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_visible_text_meets_wcag_aa(
    browser: Chromium, pages: dict[str, Path], name: str, scheme: str
) -> None:
    result = measure(browser, pages[name], scheme)
    # The emulation took: the media query matches, and the card is dark only in dark mode.
    assert result["dark"] is (scheme == "dark")
    assert (result["card"] < 0.05) if scheme == "dark" else (result["card"] > 0.9), result["card"]
    texts = result["texts"]
    assert len(texts) > 150, f"only {len(texts)} text nodes measured"
    missing = STYLED - {c for t in texts for c in t["classes"]}
    assert not missing, f"styled elements not on the page, so not checked: {sorted(missing)}"
    failing = [t for t in texts if t["ratio"] < t["need"]]
    assert not failing, f"{len(failing)} texts below WCAG AA in {scheme} mode:\n{_table(failing[:25])}"
    if name == "message":
        lowest = sorted(texts, key=lambda t: t["ratio"])[:3]
        print(f"\n{scheme}: {len(texts)} texts, lowest contrast:\n{_table(lowest)}")
        out = REPO / "test-output" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        shot = browser.page("Page.captureScreenshot", format="png")["data"]
        (out / f"edition-{scheme}.png").write_bytes(base64.b64decode(shot))


def test_the_check_catches_unreadable_text(browser: Chromium, tmp_path: Path) -> None:
    """The bug this file guards against: dark text left on the dark card (bullets #1f1f1f on #1b1f24)."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<html><body style="background:#fff;color:#1f1f1f">'
        "<style>@media (prefers-color-scheme: dark) { .card { background: #1b1f24 !important; } }</style>"
        '<div class="card" style="background:#ffffff"><ul><li>Point clé</li></ul>'
        '<p style="color:#e8e6e3 !important">Lisible</p></div></body></html>',
        encoding="utf-8",
    )
    light = measure(browser, page, "light")["texts"]
    assert [t["ratio"] >= t["need"] for t in light] == [True, False]
    dark = {t["text"]: t for t in measure(browser, page, "dark")["texts"]}
    assert dark["Point clé"]["color"] == "#1f1f1f" and dark["Point clé"]["background"] == "#1b1f24"
    assert dark["Point clé"]["ratio"] < 1.2 and dark["Lisible"]["ratio"] > 10
