"""Email benchmark: rendering time and SMTP throughput to a loopback aiosmtpd, against references.

Prints a markdown table.  The SMTP server runs in its own process (aiosmtpd's Sink handler,
which accepts and discards), so client and server do not share one interpreter.

    python bench/email_delivery.py [--subscribers 10000]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("aiosmtpd did not start")


def bench_render() -> tuple[float, int]:
    from composer.config import Settings
    from composer.edition import assemble_edition
    from composer.ingest.sources import read_text_file
    from composer.paths import templates_dir
    from composer.perspectives.templates import PerspectiveTemplates
    from composer.render import email_environment, render_edition

    seeds = [read_text_file(p) for p in sorted((REPO / "seeds").glob("*.txt"))]
    articles = seeds + [replace(a, id=a.id + "b", title=a.title + " (suite)") for a in seeds]
    templates = PerspectiveTemplates([templates_dir()], "fr")
    env = email_environment([templates_dir()])
    edition = assemble_edition("e", "Bench", "2026-01-05", articles, templates)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        rendered = render_edition(edition, Settings(), env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(rendered.html.encode())


SHORT = (
    "Brève : la médiathèque ouvre le dimanche\n\n"
    "La médiathèque municipale ouvrira désormais le dimanche de 10 h à 18 h, a annoncé la mairie lundi. "
    "Cette extension des horaires répond à une demande formulée par 62 % des usagers "
    "lors de la consultation. "
    "Deux postes de bibliothécaires seront créés pour assurer ces ouvertures supplémentaires. "
    "L'opposition regrette toutefois le coût de la mesure, estimé à 90 000 euros par an.\n"
)


def bench_composer_send(count: int, port: int, *, short: bool = False) -> tuple[float, float, bytes]:
    """composer's own send loop (ledger + per-subscriber message + one SMTP connection), in a child.

    ``short``: an edition of one short article (a ~10 KB message) instead of the five seeds.
    """
    source = REPO / "seeds"
    if short:
        source = Path(tempfile.mkdtemp()) / "breve.txt"
        source.write_text(SHORT, encoding="utf-8")
    code = f"""
import resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {str(REPO)!r})
from composer import subscribers
from composer.edition.stored import mark_ready
from composer.pipeline import add_sources, build_edition, deliver, load_edition, open_context
from composer.pipeline import render, templates
from composer.deliver.message import MessageTemplate
from composer.models import Subscriber
ws = Path(tempfile.mkdtemp()) / "ws"
env = dict(COMPOSER_TRANSPORT="smtp", COMPOSER_SMTP_HOST="127.0.0.1", COMPOSER_SMTP_PORT="{port}",
           COMPOSER_SMTP_SECURITY="none")
ctx = open_context(ws, environ=env)
add_sources(ctx, [{str(source)!r}])
with ctx.store.transaction() as conn:
    conn.executemany("INSERT INTO subscribers (email, created_at, updated_at) VALUES (?, '', '')",
                     [(f"r{{i}}@example.org",) for i in range({count})])
edition = build_edition(ctx)
mark_ready(ctx.store, edition.id, templates(ctx))
rendered, _, _ = render(ctx, load_edition(ctx, edition.id))
sample = MessageTemplate(rendered, ctx.settings, secret="k").render(Subscriber("a@example.org", id=1)).data
Path(sys.argv[1]).write_bytes(sample)
start = time.perf_counter()
report = deliver(ctx, edition.id, force=True).report  # the bench's placeholders: not a real list
elapsed = time.perf_counter() - start
assert report.sent == {count}, report
print(report.sent / elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    with tempfile.NamedTemporaryFile(suffix=".eml") as sample_file:
        out = subprocess.run(
            [sys.executable, "-c", code, sample_file.name], capture_output=True, text=True, check=True
        ).stdout.split()
        sample = Path(sample_file.name).read_bytes()
    return float(out[0]), float(out[1]), sample


def bench_smtplib(count: int, port: int, message: bytes) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as conn:
        for i in range(count):
            conn.sendmail("lettre@example.org", [f"r{i}@example.org"], message)
    return count / (time.perf_counter() - start)


def bench_yagmail(count: int, port: int, html: str) -> float:
    import logging

    import yagmail

    logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)  # premailer's noise about our CSS

    start = time.perf_counter()
    for i in range(count):
        client = yagmail.SMTP(
            "lettre@example.org",
            host="127.0.0.1",
            port=port,
            smtp_ssl=False,
            smtp_starttls=False,
            smtp_skip_login=True,
            soft_email_validation=False,
        )
        client.send(to=f"r{i}@example.org", subject="Bench", contents=html)
        client.close()
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    args = parser.parse_args()
    render_ms, html_bytes = bench_render()
    port = free_port()
    server = start_server(port)
    try:
        rate, peak_mb, sample = bench_composer_send(args.subscribers, port)
        short_rate, short_peak, short_sample = bench_composer_send(args.subscribers, port, short=True)
        short_plain = bench_smtplib(min(args.subscribers, 2000), port, short_sample)
        reference = min(args.subscribers, 2000)
        plain = bench_smtplib(reference, port, sample)
        parsed = email.message_from_bytes(sample, policy=email.policy.default)
        html = parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]
        yag = bench_yagmail(min(args.subscribers, 500), port, html)
    finally:
        server.terminate()
        server.wait()
    print(f"Rendering a 10-article edition: {render_ms:.1f} ms median, HTML {html_bytes / 1024:.0f} KB\n")
    print(f"| sender ({args.subscribers} subscribers, loopback aiosmtpd) | messages/s | peak RSS |")
    print("|---|---|---|")
    print(
        f"| composer send (ledger, per-subscriber message, one connection) | {rate:.0f} | {peak_mb:.0f} MB |"
    )
    print(f"| plain smtplib, one connection, the same message prebuilt ({reference}) | {plain:.0f} | — |")
    print(
        f"| composer send, one short article ({len(short_sample) / 1024:.0f} KB message) "
        f"| {short_rate:.0f} | {short_peak:.0f} MB |"
    )
    print(f"| plain smtplib, the same short message prebuilt | {short_plain:.0f} | — |")
    print(f"| yagmail send(), connection per message ({min(args.subscribers, 500)}) | {yag:.0f} | — |")


if __name__ == "__main__":
    main()
