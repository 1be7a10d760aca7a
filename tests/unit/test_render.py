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
    'Cliquez <a href="javascript:alert(1)">ici</a> pour en savoir davantage sur cette affaire. '
    # Enough ordinary sentences that the sections quote some whatever the chapô takes.
    "La mairie a confirmé mardi que la fête du village aurait bien lieu samedi sur la place. "
    "Les organisateurs attendent près de deux mille visiteurs pour cette nouvelle édition."
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


# -- "readable everywhere": dates, French typography, sources, paragraphs, dark mode -------------

NB, NNB = "\u00a0", "\u202f"


def _seed_edition(**fields):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from composer.ingest.sources import read_text_file
    from tests.conftest import SEEDS

    articles = [read_text_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    edition = assemble_edition(
        "2026-12-02-1", "Édition", "2026-12-02", articles, PerspectiveTemplates([templates_dir()], "fr")
    )
    return replace(edition, **fields) if fields else edition


def _render(edition, settings=None, archive=False):  # type: ignore[no-untyped-def]
    return render_edition(
        edition, settings or Settings(), email_environment([templates_dir()]), archive=archive
    )


def test_french_spacing() -> None:
    from composer.render import french_spacing

    cases = {
        "33 % des votes": f"33{NB}% des votes",
        "environ 2% des revenus": f"environ 2{NB}% des revenus",
        "Ce qui inquiète : la suite": f"Ce qui inquiète{NB}: la suite",
        "inquiète: le rapport": f"inquiète{NB}: le rapport",
        "Vraiment ? Oui ! Bon ; soit.": f"Vraiment{NNB}? Oui{NNB}! Bon{NNB}; soit.",
        "géants?": f"géants{NNB}?",
        "Quoi ?!": f"Quoi{NNB}?!",
        "« raisonnante »": f"«{NNB}raisonnante{NNB}»",
        "«raisonnante»": f"«{NNB}raisonnante{NNB}»",
        "tout le monde !”": f"tout le monde{NNB}!”",
        "Voici 200 000 $ pour": f"Voici 200{NNB}000{NB}$ pour",
        "1 500 000 habitants": f"1{NNB}500{NNB}000 habitants",
    }
    for raw, expected in cases.items():
        assert french_spacing(raw) == expected, raw
        assert french_spacing(expected) == expected, f"not idempotent: {raw}"
    # Marks inside a word or an address are left alone, and so are years next to numbers.
    for kept in (
        "à 10:30 précises",
        "https://example.org/a?b=1;c=2",
        "mailto:a@b.fr",
        "100%20off",
        "en 2024 300 élèves",
    ):
        assert french_spacing(kept) == kept


def test_typo_is_french_only() -> None:
    from composer.render import typo

    assert typo("Why? 33 %", "en") == "Why? 33 %"
    assert typo("Pourquoi? 33 %", "fr") == f"Pourquoi{NNB}? 33{NB}%"


def test_long_dates() -> None:
    from composer.render import long_date

    assert long_date("2026-12-02") == "2 décembre 2026"
    assert long_date("2026-12-02", "en") == "December 2, 2026"
    assert long_date("2026-03-01") == "1er mars 2026"
    assert long_date("2026-08-15T10:30:00+02:00") == "15 août 2026"
    assert long_date("2024-09") == "septembre 2024" and long_date("2024-09", "en") == "September 2024"
    for kept in ("", "hier soir", "Publié le 3 mars", "2026-02-30", "2024-13", "2024"):
        assert long_date(kept) == kept


def test_dates_are_localised_in_both_parts() -> None:
    edition = _seed_edition()
    rendered = _render(edition)
    for part in (rendered.html, rendered.text):
        assert "2 décembre 2026" in part and "2026-12-02" not in part.replace("2026-12-02-1", "")
        assert "septembre 2024" in part and "2024-09" not in part  # seed 002's month
    english = _render(edition, Settings(language="en"))
    assert "December 2, 2026" in english.html and "December 2, 2026" in english.text


def test_typography_is_rendered_but_the_stored_sentences_are_untouched() -> None:
    edition = _seed_edition()
    rendered = _render(edition)
    # Seed 004 writes "2%" and "200 000 $"; seed 003's title ends with " ?".
    assert f"environ 2{NB}% des revenus" in rendered.text
    assert "environ 2&nbsp;% des revenus" in rendered.html
    assert f"200{NNB}000{NB}$" in rendered.text and f"marketing{NNB}?" in rendered.text
    assert f"Tonalité de l'édition{NB}:" in rendered.text
    assert not any(
        line.lstrip().startswith(("%", ":", "?", "!", ";", "»")) for line in rendered.text.splitlines()
    )
    # The data keeps the article's own characters at their span.
    for item in edition.items:
        for section in item.sections:
            for part in section.parts:
                if part.kind == "source":
                    assert item.article.text[part.start : part.end] == part.text
    # Wherever the summarizer put it (chapô, "L'essentiel" or recap), the sentence is stored as written.
    point = next(
        s for i in edition.items for s in (*i.digest.summary, *i.digest.key_points, *i.digest.recap)
        if "2%" in s.text
    )
    assert "environ 2% des revenus" in point.text and "environ 2% des" in edition.items[4].article.text


def test_percent_never_breaks_in_the_text_part() -> None:
    from composer.render import _wrap, typo

    for pad in range(60, 75):
        text = _wrap(typo("x" * pad + " une hausse de 33 % en un an"))
        assert f"33{NB}%" in text
        assert not any(line.startswith("%") for line in text.splitlines()), text


def test_the_editors_own_words_are_printed_as_typed() -> None:
    from dataclasses import replace

    from composer.edition.edits import edited_section

    edition = _seed_edition()
    item = edition.items[0]
    section = item.sections[-1]
    rewritten = edited_section(section, "Texte réécrit par la rédaction : la nuance compte.")
    sections = tuple(rewritten if s is section else s for s in item.sections)
    item = replace(item, sections=sections, edited=(section.kind,))
    rendered = _render(replace(edition, items=(item, *edition.items[1:])))
    assert "Texte réécrit par la rédaction : la nuance compte." in rendered.html
    assert "Texte réécrit par la rédaction : la nuance compte." in " ".join(rendered.text.split(" "))


def test_sources_link_titles_and_name_publications() -> None:
    rendered = _render(_seed_edition())
    assert "caractères" not in rendered.html and "caractères" not in rendered.text
    notes = rendered.html[rendered.html.index("Sources des citations") :]
    assert re.search(
        r'<a class="notes-link" href="https://www\.nature\.com/articles/d41586-025-02495-w"', notes
    )
    assert "», nature.com" in notes and "», reddit.com" in notes
    assert "[1]–[7]</span> Fanny Roselmack, «" in notes
    assert "[29]–[37]" in notes and "[37]</sup>" in rendered.html
    text = rendered.text[rendered.text.index("SOURCES DES CITATIONS") :]
    assert (
        "[22]–[28] «" in text and "\n          https://www.nature.com/articles/d41586-025-02495-w\n" in text
    )
    assert "septembre 2024" in text


def test_sources_only_link_web_addresses() -> None:
    from composer.render import note_label, publication

    html = _rendered().html
    notes = html[html.index("Sources des citations") :]
    assert "<a " not in notes.split("</ul>")[0] and "javascript" not in notes
    assert publication("https://www.Nature.com/x") == "nature.com"
    assert publication("mailto:a@b.fr") == "" and publication("seeds/000.txt") == ""
    assert publication("https://xn--e1afmkfd.xn--p1ai/") == "пример.рф"
    assert note_label([3, 1, 2, 5, 7, 8]) == "[1]–[3], [5], [7]–[8]"


def test_introduction_paragraphs_and_archive_footer() -> None:
    edition = _seed_edition(introduction="Premier paragraphe : ici.\n\nSecond\nparagraphe.")
    rendered = _render(edition)
    assert re.search(r"<p[^>]*>Premier paragraphe : ici\.</p><p[^>]*>Second paragraphe\.</p>", rendered.html)
    assert "\n\nPremier paragraphe : ici.\n\nSecond paragraphe.\n\n" in rendered.text
    public = _render(edition, archive=True)
    assert "Abonnez-vous</a> pour la recevoir par courriel." in public.html
    assert (
        f"Version en ligne de la lettre. Pour la recevoir{NB}: https://newsletter.example.org/subscribe"
        in (public.text)
    )
    assert "Se désabonner" not in public.html + public.text


def test_chapo_is_not_bold_and_every_colour_has_a_dark_twin() -> None:
    css = re.sub(
        r"/\*.*?\*/", "", (templates_dir() / "email" / "styles.css").read_text(encoding="utf-8"), flags=re.S
    )
    chapo = re.search(r"\.chapo \{([^}]*)\}", css)
    assert chapo and "bold" not in chapo.group(1)
    light, dark = css.split("@media")[0], css.split("@media (prefers-color-scheme: dark)")[1]
    dark_rules = re.findall(r"([^{}]+)\{([^}]*)\}", dark[dark.index("{") + 1 : dark.rindex("}")])
    assert dark_rules and all("!important" in body for _, body in dark_rules)  # inline styles win otherwise
    dark_selectors = {
        s.strip() for selectors, body in dark_rules if "color:" in body for s in selectors.split(",")
    }
    for selectors, body in re.findall(r"([^{}@]+)\{([^}]*)\}", light):
        if re.search(r"(?<![-\w])color:", body):
            for selector in selectors.split(","):
                if selector.strip() != ":root":
                    assert selector.strip() in dark_selectors, f"{selector.strip()} has no dark colour"


def test_an_english_workspace_letter_carries_no_french_framing() -> None:
    from dataclasses import replace

    from composer.edition import tone_balance

    text = (
        "The city library will open on Sundays from next month, the mayor announced on Monday. "
        "The change answers a request made by 62% of users in the consultation. "
        "Two librarian posts will be created to staff the new opening hours, officials said. "
        "The opposition regrets the cost of the measure, estimated at 90,000 euros a year. "
        '"We are delighted," said Ann Lee, who chairs the readers\' association.'
    )
    articles = [
        Article(
            id=f"en{n}",
            title=f"Library opens on Sundays {n}",
            text=text,
            language="en",
            url="https://news.example.com/a",
        )
        for n in range(3)
    ]
    templates = PerspectiveTemplates([templates_dir()], "en")
    edition = assemble_edition("e", "The Letter", "2026-12-03", articles, templates, introduction="Hello.")
    edition = replace(edition, balance=tone_balance(edition.items, language="en"))
    settings = Settings(language="en", newsletter_name="The Letter")
    env = email_environment([templates_dir()])
    french = (
        "Version en ligne",
        "Tonalité",
        "ESSENTIEL",
        "L'essentiel",
        "Sources des citations",
        "Se désabonner",
        "Vous recevez",
        "Point de vue",
        "modifié",
        "décembre",
        "Chaque phrase",
    )
    for archive in (False, True):
        rendered = render_edition(edition, settings, env, archive=archive)
        for part in (rendered.html, rendered.text):
            found = [w for w in french if w in part]
            assert not found, found
    assert "December 3, 2026" in rendered.text and "Unsubscribe" not in rendered.text  # the archive text


def test_a_clipped_chapo_is_printed_with_its_elision_marks_in_both_parts() -> None:
    """A chapô made of pieces shows "[…]" where the summarizer left something out, and only there."""
    from dataclasses import replace

    from composer.summarize.compress import variants
    from composer.text.sentences import split_sentences

    edition = _seed_edition()
    item = edition.items[0]
    clip = next(
        c for s in split_sentences(item.article.text) for c in variants(s) if c.cuts and len(c.pieces) == 1
    )
    item = replace(item, digest=replace(item.digest, summary=clip.pieces))
    rendered = _render(replace(edition, items=(item, *edition.items[1:])))
    piece = clip.pieces[0]
    head = piece.text.split()[:3]
    html = re.sub(r"\s+", " ", rendered.html)
    assert "[…]" in html and " ".join(head) in html.replace("’", "'")
    text = " ".join(rendered.text.split())
    assert "[…]" in text
    assert item.article.text[piece.start : piece.end] == piece.text
