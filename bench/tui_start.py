"""Editor start-up and responsiveness on a large workspace (a benchmark, not a test).

    python bench/tui_start.py [--workspace DIR] [--runs 3]

Makes (once) a workspace with the five seeds and 1,500 other articles (the OrangeSum sample
from ../shared/bench when present, else generated French-ish texts), then measures:

* start → first screen with titles, in a real terminal: ``composer`` runs under tmux at 80×24
  and the pane is polled until a seed title shows (then ctrl+q, and the exit status is checked);
* the same in-process (headless Textual), without interpreter start;
* key latency while the background thread summarizes 1,000 picked articles.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ORANGESUM = REPO.parent / "shared" / "bench" / "orangesum" / "valid.jsonl"
TITLE = "OpenAI promet des profit"
WORDS = (
    "le gouvernement annonce une réforme des retraites tandis que les syndicats appellent à la grève "
    "la ville de Lyon inaugure un tramway et les habitants saluent un projet attendu depuis dix ans "
    "une étude publiée lundi montre que la consommation d'énergie a baissé de 4 % cette année"
).split()


def make_workspace(root: Path, count: int = 1500) -> Path:
    """Seeds plus ``count`` articles; reused when it already exists."""
    from composer import subscribers
    from composer.models import Article
    from composer.paths import seeds_dir
    from composer.pipeline import add_sources, open_context

    if (root / "composer.db").exists():
        return root
    ctx = open_context(root, environ={})
    add_sources(ctx, [str(p) for p in sorted(seeds_dir().glob("*.txt"))])
    subscribers.import_csv(ctx.store, seeds_dir() / "subscribers.csv")
    if ORANGESUM.exists():
        add_sources(ctx, [str(ORANGESUM)])
    else:
        rng = random.Random(7)
        for n in range(count):
            sentences = [" ".join(rng.choices(WORDS, k=18)).capitalize() + "." for _ in range(12)]
            text = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, 12, 3))
            title = f"Article {n} : {sentences[0][:50]}"
            ctx.store.add_article(Article(id=f"gen{n}", title=title, text=text))
    ctx.close()
    return root


def tmux_start(workspace: Path) -> tuple[float, int]:
    """Seconds from launching ``composer`` in tmux until a title is on screen, and its exit status."""
    session = f"bench-tui-{time.monotonic_ns()}"
    status = workspace / ".bench-exit"
    status.unlink(missing_ok=True)
    command = f"{sys.executable} -m composer.cli --workspace {workspace}; echo $? > {status}"
    started = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True)
    try:
        while True:
            pane = subprocess.run(
                ["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True
            ).stdout
            if TITLE in pane:
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"no title on screen after 30 s:\n{pane}")
            time.sleep(0.01)
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], check=True)
        deadline = time.monotonic() + 10
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        code = int(status.read_text().strip() or -1) if status.exists() else -1
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return elapsed, code


async def headless(workspace: Path) -> dict[str, float]:
    """In-process start time and key latency while 1,000 digests run in the background."""
    from textual import events
    from textual.widgets import DataTable

    from composer.pipeline import open_context
    from composer.tui.app import ComposerApp

    ctx = open_context(workspace, environ={})
    started = time.perf_counter()
    app = ComposerApp(ctx)
    out: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#library-table", DataTable)
        while table.row_count == 0:
            await pilot.pause(0.005)
        out["headless start (s)"] = time.perf_counter() - started
        out["rows"] = table.row_count
        app.library.refill()
        for row in app.library.shown[:1000]:
            app.draft.picks.append(row.id)
            app.request_digest(row.id, priority=1)
        latencies = []
        done_before = len(app.cache)
        end = time.perf_counter() + 5
        while time.perf_counter() < end:
            # Latency as the editor feels it: key posted → cursor moved (render follows at once).
            row = table.cursor_row
            t0 = time.perf_counter()
            app.post_message(events.Key("down", None))
            while table.cursor_row == row and time.perf_counter() - t0 < 2:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)
        out["digests done in 5 s"] = len(app.cache) - done_before
        out["key latency p50 (ms)"] = 1000 * statistics.median(latencies)
        out["key latency p95 (ms)"] = 1000 * sorted(latencies)[int(0.95 * len(latencies))]
        out["key latency max (ms)"] = 1000 * max(latencies)
        app.draft.picks.clear()
    ctx.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    workspace = args.workspace or Path(tempfile.gettempdir()) / "composer-bench-tui"
    t0 = time.perf_counter()
    make_workspace(workspace)
    print(f"workspace {workspace} ready in {time.perf_counter() - t0:.1f} s")
    rows: list[tuple[str, str]] = []
    if shutil.which("tmux"):
        times, codes = zip(*(tmux_start(workspace) for _ in range(args.runs)), strict=True)
        rows.append(("tmux start → titles, median (s)", f"{statistics.median(times):.3f}"))
        rows.append(("tmux start → titles, runs (s)", " ".join(f"{t:.3f}" for t in times)))
        rows.append(("exit status after ctrl+q", " ".join(map(str, codes))))
    else:
        rows.append(("tmux start", "skipped: tmux not installed"))
    for key, value in asyncio.run(headless(workspace)).items():
        rows.append((key, f"{value:.3f}" if isinstance(value, float) and value % 1 else f"{value:.0f}"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
