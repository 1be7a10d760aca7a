"""A ten-article edition stays under Gmail's ~102 KB clipping size, and renders fast enough to ignore."""

from __future__ import annotations

from dataclasses import replace

from composer.config import Settings
from composer.deliver.message import build_message
from composer.edition import assemble_edition
from composer.ingest.sources import read_text_file
from composer.models import Subscriber
from composer.paths import templates_dir
from composer.perspectives.templates import PerspectiveTemplates
from composer.render import email_environment, render_edition
from tests.conftest import SEEDS

GMAIL_CLIP = 102 * 1024


def test_ten_article_edition_is_not_clipped() -> None:
    seeds = [read_text_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    articles = seeds + [replace(a, id=a.id + "b", title=a.title + " (suite)") for a in seeds]
    assert len(articles) == 10
    edition = assemble_edition(
        "e10", "Dix articles", "2026-01-05", articles, PerspectiveTemplates([templates_dir()], "fr")
    )
    rendered = render_edition(edition, Settings(), email_environment([templates_dir()]))
    message = build_message(rendered, Subscriber(email="a@example.org", id=1), Settings(), secret="k")
    html = message.get_body(("html",)).get_content()
    assert len(html.encode("utf-8")) < GMAIL_CLIP, len(html.encode("utf-8"))
    assert html.count('class="article-title"') == 10
