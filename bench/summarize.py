"""Benchmark composer's summarizers on OrangeSum and print a markdown table.

    python bench/summarize.py                     # test_public.jsonl, all systems
    python bench/summarize.py --data valid.jsonl --limit 300 --systems default,lead-2
    python bench/summarize.py --cli-speed 1000    # CLI: default vs lexrank -1 on valid.jsonl, ratio

ROUGE-1/2/L F1 ×100 with a French tokenizer (lowercase ``\\w+``, accents kept, no stemming;
see ``composer.summarize.rouge``), mean words (whitespace-separated) and articles per second
(CPU time of split + summarize, once the method is loaded).  ``barthez`` and ``mbarthez`` are the published
abstractive outputs stored in the file; ``oracle-1`` is the best single source sentence by
ROUGE-L, the ceiling of any one-sentence extractive summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from composer.summarize import summarize  # noqa: E402
from composer.summarize.rouge import Reference, rouge_tokens  # noqa: E402
from composer.summarize.sumy_methods import SUMY_METHODS  # noqa: E402
from composer.text.sentences import split_sentences  # noqa: E402

STORED = ("barthez", "mbarthez")


def data_dir() -> Path | None:
    """``<repo>/../shared/bench/orangesum``, None when absent."""
    path = ROOT.parent / "shared" / "bench" / "orangesum"
    return path if path.is_dir() else None


def load(path: Path, limit: int | None = None) -> list[dict]:
    """Articles of a JSONL file (first ``limit`` lines)."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    system: str
    rouge1: float
    rouge2: float
    rougeL: float
    words: float
    per_second: float | None


def score(name: str, outputs: list[str], articles: list[dict], seconds: float | None) -> Row:
    """Average ROUGE F1 ×100 and length of ``outputs`` against the references."""
    r1 = r2 = rl = 0.0
    for text, art in zip(outputs, articles, strict=True):
        s = Reference(rouge_tokens(art["reference"])).score(rouge_tokens(text))
        r1, r2, rl = r1 + s.rouge1, r2 + s.rouge2, rl + s.rougeL
    n = len(articles)
    words = sum(len(t.split()) for t in outputs) / n
    rate = n / seconds if seconds else None
    return Row(name, 100 * r1 / n, 100 * r2 / n, 100 * rl / n, words, rate)


def run_method(method: str, count: int | None, articles: list[dict]) -> tuple[list[str], float]:
    """Summaries of every article by ``method`` and the wall time it took."""
    summarize(articles[0]["article"], articles[0].get("title", ""), method=method, sentences=count)  # warm-up
    t0 = time.process_time()  # CPU time: fair when other jobs share the machine
    outs = [
        " ".join(s.text for s in summarize(a["article"], a.get("title", ""), method=method, sentences=count))
        for a in articles
    ]
    return outs, time.process_time() - t0


def oracle(articles: list[dict]) -> list[str]:
    """The single source sentence with the best ROUGE-L against the reference."""
    outs = []
    for art in articles:
        ref = Reference(rouge_tokens(art["reference"]))
        sents = split_sentences(art["article"]) or []
        best = max(sents, key=lambda s: ref.score(rouge_tokens(s.text)).rougeL, default=None)
        outs.append(best.text if best else "")
    return outs


def systems() -> dict[str, tuple[str, int | None]]:
    """Every benchmarked system name → (method, sentence count)."""
    out: dict[str, tuple[str, int | None]] = {"default": ("default", None), "lead-1": ("lead", 1),
                                             "lead-2": ("lead", 2)}
    for name in SUMY_METHODS:
        out[f"{name}-1"] = (name, 1)
        out[f"{name}-2"] = (name, 2)
    return out


def table(rows: Iterable[Row]) -> str:
    """The markdown table the README shows."""
    lines = [
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | words | articles/s (CPU) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rate = f"{r.per_second:,.0f}" if r.per_second else "—"
        scores = f"{r.rouge1:.2f} | {r.rouge2:.2f} | {r.rougeL:.2f}"
        lines.append(f"| {r.system} | {scores} | {r.words:.1f} | {rate} |")
    return "\n".join(lines)


# The two commands the speed requirement compares: the default chapô must be ≥ 3× faster.
CLI_COMMANDS = {
    "default": [],
    "lexrank-1": ["--method", "lexrank", "--sentences", "1"],
}


def _timed_cli(args: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) seconds of one ``composer summarize`` process."""
    cmd = [sys.executable, "-m", "composer.cli", "summarize", *args]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read().strip()}")
    return wall, usage.ru_utime + usage.ru_stime


def cli_speed(path: Path, n: int, repeat: int, out: Callable[[str], None] = print) -> dict[str, float]:
    """Time both CLI commands on the first ``n`` articles of ``path``, interleaved, same run.

    Each command runs ``repeat`` times (alternating, so background load hits both alike); the
    table shows the median wall and CPU seconds, whole processes start-up included, and the
    ratio lexrank / default, which the requirement wants ≥ 3.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in CLI_COMMANDS}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.jsonl"
        with path.open(encoding="utf-8") as handle, src.open("w", encoding="utf-8") as dst:
            count = 0
            for line in handle:
                if count >= n:
                    break
                if line.strip():
                    dst.write(line)
                    count += 1
        for _ in range(repeat):
            for name, extra in CLI_COMMANDS.items():
                dst_path = Path(tmp) / f"{name}.jsonl"
                times[name].append(_timed_cli(["--input", str(src), "--output", str(dst_path), *extra]))
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}
    out(f"CLI `composer summarize`, {count} articles from {path.name}, median of {repeat} interleaved runs\n")
    out("| command | wall s | CPU s |")
    out("|---|---:|---:|")
    for name, extra in CLI_COMMANDS.items():
        label = " ".join(["composer summarize", *extra])
        out(f"| {label} | {wall[name]:.2f} | {cpu[name]:.2f} |")
    pairs = zip(times["lexrank-1"], times["default"], strict=True)
    ratios = {
        "wall": wall["lexrank-1"] / wall["default"],
        "cpu": cpu["lexrank-1"] / cpu["default"],
        "wall_runs": min(lex[0] / dft[0] for lex, dft in pairs),
    }
    out(f"\nratio lexrank-1 / default: {ratios['wall']:.2f}× wall, {ratios['cpu']:.2f}× CPU "
        f"(worst run pair {ratios['wall_runs']:.2f}× wall)")
    return ratios


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Parse arguments, run the systems, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="OrangeSum-style JSONL (default: test_public.jsonl)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--systems", help="comma-separated subset, e.g. default,lead-2,barthez,oracle-1")
    parser.add_argument("--cli-speed", type=int, metavar="N",
                        help="time the default and lexrank -1 CLI runs on the first N articles of "
                             "valid.jsonl (or --data) and print their ratio, instead of ROUGE")
    parser.add_argument("--cli-repeat", type=int, default=3, metavar="R", help="runs per command (default 3)")
    args = parser.parse_args(argv)
    if args.cli_speed:
        base = data_dir()
        path = args.data or (base / "valid.jsonl" if base else None)
        if path is None:
            print("no OrangeSum data: pass --data or put it in ../shared/bench/orangesum", file=sys.stderr)
            return 2
        cli_speed(path, args.cli_speed, max(args.cli_repeat, 1), out)
        return 0
    path = args.data
    if path is None:
        base = data_dir()
        if base is None:
            print("no OrangeSum data: pass --data or put it in ../shared/bench/orangesum", file=sys.stderr)
            return 2
        path = base / "test_public.jsonl"
    articles = load(path, args.limit)
    known = systems()
    wanted = args.systems.split(",") if args.systems else [*known, *STORED, "oracle-1"]
    rows = []
    for name in wanted:
        if name in known:
            method, count = known[name]
            outputs, seconds = run_method(method, count, articles)
            rows.append(score(name, outputs, articles, seconds))
        elif name in STORED:
            if all(name in a for a in articles):
                rows.append(score(f"{name} (published)", [a[name] for a in articles], articles, None))
        elif name == "oracle-1":
            rows.append(score("oracle best sentence", oracle(articles), articles, None))
        else:
            parser.error(f"unknown system {name!r}")
        print(f"  {name} done", file=sys.stderr)
    out(f"{len(articles)} articles from {path.name}\n")
    out(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
