"""The archive page in real headless Chromium: no horizontal scrolling at 375 px and 800 px.

The page is served by a loopback HTTP server and shown in an iframe of the target width (a
headless window cannot be narrower than 500 px); screenshots go to ``test-output/``.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)

WRAPPER = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{page}" style="width:{width}px;height:3000px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {{
  var d = this.contentDocument.documentElement;
  document.body.setAttribute("data-result", d.scrollWidth + "x" + this.clientWidth);
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def served_edition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("served")
    result = run_cli("demo", "--workspace", str(root / "ws"))
    assert result.returncode == 0, result.stderr
    html = next((root / "ws" / "editions").glob("*.html"))
    shutil.copy(html, root / "edition.html")
    for width in (375, 800):
        (root / f"at{width}.html").write_text(WRAPPER.format(page="edition.html", width=width))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


def _chromium(*args: str) -> str:
    assert CHROMIUM, "Chromium is required in CI"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return done.stdout


@pytest.mark.parametrize("width", [375, 800])
def test_no_horizontal_scrolling(served_edition: tuple[str, Path], width: int) -> None:
    base, _ = served_edition
    dom = _chromium(
        "--window-size=1000,1200", "--virtual-time-budget=5000", "--dump-dom", f"{base}/at{width}.html"
    )
    match = re.search(r'data-result="(\d+)x(\d+)"', dom)
    assert match, dom[-500:]
    scroll, visible = int(match.group(1)), int(match.group(2))
    assert visible == width
    assert scroll <= width, f"content is {scroll}px wide in a {width}px viewport"
    out = REPO / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    shot = out / f"edition-{width}.png"
    _chromium(
        f"--window-size={width if width >= 500 else 500},2400",
        f"--screenshot={shot}",
        f"{base}/at{width}.html",
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
