"""Rendering: hostile article text is inert in HTML; the text part is real text."""

from __future__ import annotations

import re

from composer.config import Settings
from composer.deliver.message import build_message
from composer.edition import assemble_edition
from composer.models import Article, Subscriber
from composer.paths import templates_dir
from composer.perspectives.templates import PerspectiveTemplates
from composer.render import email_environment, render_edition
from composer.subscribers import unsubscribe_token

HOSTILE = (
    'Une annonce <script>alert("x")</script> a surpris les lecteurs de la rédaction ce matin. '
    'Une image <img src=x onerror="alert(1)"> circule sur les réseaux depuis hier soir. '
    'Cliquez <a href="javascript:alert(1)">ici</a> pour en savoir davantage sur cette affaire.'
)


def _rendered():  # type: ignore[no-untyped-def]
    article = Article(id="h", title="<b>Titre</b> piégé", text=HOSTILE, url="javascript:alert(1)")
    edition = assemble_edition(
        "e1", "Édition", "2026-01-01", [article], PerspectiveTemplates([templates_dir()], "fr")
    )
    return render_edition(edition, Settings(), email_environment([templates_dir()]))


def test_hostile_text_is_escaped() -> None:
    html = _rendered().html
    assert "<script>" not in html
    assert "<img" not in html
    assert not re.search(r"<a\s[^>]*href=\"javascript:", html)
    assert "&lt;script&gt;" in html
    assert "<b>Titre</b>" not in html


def test_text_part_is_text() -> None:
    rendered = _rendered()
    assert "<table" not in rendered.text
    assert "POINT DE VUE OPTIMISTE" in rendered.text


def test_message_headers_and_unique_ids() -> None:
    rendered = _rendered()
    sub = Subscriber(email="lea@example.org", name="Léa", id=1)
    first = build_message(rendered, sub, Settings(), secret="k")
    second = build_message(rendered, sub, Settings(), secret="k")
    assert first["Message-ID"] != second["Message-ID"]
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = unsubscribe_token(sub, "k")
    assert token in first["List-Unsubscribe"] and "lea@" not in token  # opaque: no address in the URL
    assert f"<mailto:newsletter@example.org?subject=unsubscribe%20{token}>" in first["List-Unsubscribe"]
    assert first["List-Id"] == "La Lettre composer <la-lettre-composer.example.org>"
    assert token != unsubscribe_token(sub, "other")


def test_placeholder_lookalikes_in_articles_stay_literal() -> None:
    text = "Le modèle %%RECIPIENT%% et %%UNSUBSCRIBE_URL%% apparaissent dans cet article de test assez long."
    article = Article(id="p", title="%%RECIPIENT%%", text=text)
    edition = assemble_edition(
        "e2", "Édition", "2026-01-01", [article], PerspectiveTemplates([templates_dir()], "fr")
    )
    rendered = render_edition(edition, Settings(), email_environment([templates_dir()]))
    message = build_message(rendered, Subscriber(email="lea@example.org", id=1), Settings(), secret="k")
    html = message.get_body(("html",)).get_content()
    assert "%%RECIPIENT%%" in html and "%%UNSUBSCRIBE_URL%%" in html
    assert html.count("lea@example.org") == 1  # the footer line only: the unsubscribe token is opaque


def test_text_wrap_keeps_french_no_break_spaces() -> None:
    from composer.render import _wrap

    wrapped = _wrap("x" * 60 + " Argument\u00a0: suite de la phrase", width=72)
    assert "Argument\u00a0:" in wrapped
    assert not any(line.startswith(":") for line in wrapped.splitlines())
