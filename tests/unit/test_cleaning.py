"""Tests for composer.ingest.cleaning: one tiny input per rule, plus golden renderings of the seeds.

Regenerate the goldens after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/unit/test_cleaning.py`` and read the diff line by line.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from composer.ingest.cleaning import CleanDocument, clean_text_document
from composer.ingest.glue import fix_glued_sentences

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden" / "cleaned"


def render(doc: CleanDocument) -> str:
    """A readable rendering: metadata lines, a blank line, then one ``[kind] text`` per block."""
    fields = [
        ("title", doc.title),
        ("subtitle", doc.subtitle),
        ("author", doc.author),
        ("date", doc.date),
        ("url", doc.url),
        ("site", doc.site),
        ("hashtags", " ".join(doc.hashtags)),
    ]
    lines = [f"{name}: {value}".rstrip() for name, value in fields]
    for kind, text in doc.blocks:
        lines += ["", f"[{kind}] {text}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_golden(seed: Path) -> None:
    rendered = render(clean_text_document(seed.read_text(encoding="utf-8")))
    golden = GOLDEN / seed.name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def _blocks(raw: str) -> list[tuple[str, str]]:
    return list(clean_text_document(raw).blocks)


def _texts(raw: str) -> list[str]:
    return [text for _, text in clean_text_document(raw).blocks]


# -- furniture -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Close banner",
        "Redirection en cours...",
        "Si vous n'êtes pas redirigé automatiquement, 👉 cliquez ici 👈",
        "ChatGPT Télécharger gratuitement",
        "Articles connexes",
        "image",
        "0 personnes aiment ce",
        "IA -  Questions / Réponses . Cover Image",
        "IA - Questions / Réponses . Profile Picture",
        "@ia-questions-reponses",
        "www.nature.com",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    raw = f"Le titre\n\nUne phrase du corps.\n\n{line}\n\nUne autre phrase du corps."
    assert _texts(raw) == ["Une phrase du corps.", "Une autre phrase du corps."]


def test_mojibake_furniture_is_repaired_then_dropped() -> None:
    raw = "Le titre\n\nLa rĂ©action.\n\nSi vous n'ĂȘtes pas redirigĂ© automatiquement, cliquez ici"
    assert _texts(raw) == ["La réaction."]


def test_promotion_and_its_link_title_are_dropped() -> None:
    raw = (
        "Le titre\n\nPremière phrase.\n\nPour aller plus loin\n\n"
        "Les milliards engloutis d’OpenAI : la faillite serait proche\n\nDeuxième phrase."
    )
    assert _texts(raw) == ["Première phrase.", "Deuxième phrase."]


def test_trailing_sources_without_content_are_dropped() -> None:
    assert _texts("Le titre\n\nUne phrase.\n\nArticles connexes\n\nSources") == ["Une phrase."]


def test_page_name_lines_become_site() -> None:
    raw = (
        "Ma Page . Cover Image\nMa Page . Profile Picture\nMa Page .\n@ma-page\n\n"
        "Le vrai titre ?\n\nLe corps de l’article."
    )
    doc = clean_text_document(raw)
    assert (doc.title, doc.site, _texts(raw)) == ("Le vrai titre ?", "Ma Page", ["Le corps de l’article."])


def test_script_tail_is_cut() -> None:
    raw = "Le titre\n\na détaillé le procureur. window.pvp_43 = new Pvp('dmpublic', {idDM: \"x7\"}, {"
    assert _texts(raw) == ["a détaillé le procureur."]


def test_trailing_english_leftover_is_dropped() -> None:
    raw = (
        "Le titre\n\nLa société a détaillé le système dans un article de blog.\n\n"
        "One version of the model can run on a laptop, and performs as well as the company’s models."
    )
    assert _texts(raw) == ["La société a détaillé le système dans un article de blog."]


def test_trailing_english_quote_is_kept() -> None:
    quote = '"This is the way it is, and the model can do it." - u/someone (3 points)'
    assert _texts(f"Le titre\n\nLa société a détaillé le système dans un article.\n\n{quote}")[-1] == quote


def test_lone_a_breve_at_sentence_start_is_capital() -> None:
    assert _texts("Titre\n\nLe pain Ă la caserne. Ă cette échelle, rien.") == [
        "Le pain à la caserne. À cette échelle, rien."
    ]


# -- metadata --------------------------------------------------------------------------------


def test_hashtag_line_goes_to_hashtags() -> None:
    doc = clean_text_document("Titre\n\nCorps du texte.\n\nhashtag#ia hashtag#régulation hashtag#d")
    assert doc.hashtags == ("#ia", "#régulation")
    assert [text for _, text in doc.blocks] == ["Corps du texte."]


def test_inline_hashtag_word_is_rewritten() -> None:
    assert _texts("Titre\n\nOn en parle sur hashtag#ia depuis hier.") == ["On en parle sur #ia depuis hier."]


def test_reference_url_line() -> None:
    doc = clean_text_document("Titre\n\nArticle en référence: https://www.reddit.com/r/x/\n\nCorps.")
    assert doc.url == "https://www.reddit.com/r/x/"
    assert [text for _, text in doc.blocks] == ["Corps."]


def test_bare_url_line_mid_text() -> None:
    doc = clean_text_document("Titre\n\nUn paragraphe.\nhttps://www.nature.com/articles/d4\n\nUn autre.")
    assert doc.url == "https://www.nature.com/articles/d4"
    assert [text for _, text in doc.blocks] == ["Un paragraphe.", "Un autre."]


def test_subtitle_and_byline() -> None:
    doc = clean_text_document(
        "Le titre\n\nLe chapeau qui résume\n\nFanny Roselmack\n\nL'essentiel\n\n  • Un point"
    )
    assert (doc.title, doc.subtitle, doc.author) == ("Le titre", "Le chapeau qui résume", "Fanny Roselmack")
    assert doc.blocks == (("heading", "L'essentiel"), ("bullet", "Un point"))


def test_byline_with_par() -> None:
    assert (
        clean_text_document("Le titre\n\nPar Jean de La Fontaine\n\nUn texte.").author
        == "Jean de La Fontaine"
    )


def test_date_prefix_and_derived_title() -> None:
    doc = clean_text_document(
        " date 2024-09 Quand on parle d’OpenAI, on pense à l’IA. Mais pas seulement.\n\nSuite."
    )
    assert doc.date == "2024-09"
    assert doc.title == "Quand on parle d’OpenAI, on pense à l’IA"
    assert doc.blocks[0] == ("paragraph", "Quand on parle d’OpenAI, on pense à l’IA. Mais pas seulement.")


def test_long_first_sentence_title_is_cut_at_a_word_boundary() -> None:
    lead = (
        "Le gouvernement a annoncé mardi une série de mesures destinées à soutenir les agriculteurs "
        "touchés par la sécheresse exceptionnelle de cet été dans le sud du pays."
    )
    title = clean_text_document(lead).title
    assert len(title) <= 81 and title.endswith("…") and lead.startswith(title[:-1])


def test_title_never_furniture_and_emoji_stripped() -> None:
    doc = clean_text_document("image\n\n🚨 Et si “créer Dieu” n’était qu’un STRATAGÈME ?\n\n🔥 Un texte.")
    assert doc.title == "Et si “créer Dieu” n’était qu’un STRATAGÈME ?"


def test_social_teaser_is_split_into_title_subtitle_and_hashtags() -> None:
    raw = (
        "OpenAI signe un contrat de 200M$ avec la Défense US 🎯 Ironiquement, pendant que l Amérique "
        "ferme ses modèles IA, la Chine domine l open-source avec DeepSeek et Qwen 🇨🇳 L avenir? "
        "#IA #OpenSource\n\nRécapitulatif factuel\n\nOpenAI a décroché un contrat."
    )
    doc = clean_text_document(raw)
    assert doc.title == "OpenAI signe un contrat de 200M$ avec la Défense US"
    assert (
        doc.subtitle.startswith("Ironiquement,")
        and "🇨🇳" in doc.subtitle
        and doc.subtitle.endswith("L avenir?")
    )
    assert doc.hashtags == ("#IA", "#OpenSource")
    assert doc.blocks == (
        ("heading", "Récapitulatif factuel"),
        ("paragraph", "OpenAI a décroché un contrat."),
    )


def test_one_paragraph_article_keeps_its_paragraph() -> None:
    article = "Sur les réseaux sociaux, les images sont impressionnantes. " * 4
    doc = clean_text_document(article)
    assert doc.blocks == (("paragraph", article.strip()),)
    assert doc.title == "Sur les réseaux sociaux, les images sont impressionnantes"


def test_publication_date_line_with_time() -> None:
    doc = clean_text_document("Le titre\n\nPublié le 12 mars 2024 à 10h30\n\nLe corps du texte.")
    assert doc.date == "12 mars 2024"
    assert [text for _, text in doc.blocks] == ["Le corps du texte."]


@pytest.mark.parametrize("raw", ["", "   \n\n ", "Close banner\n\nimage"])
def test_empty_documents(raw: str) -> None:
    assert clean_text_document(raw) == CleanDocument(title="", blocks=())


def test_markdown_heading_and_quote() -> None:
    doc = clean_text_document("# Le titre\n\n## Une section\n\n> Une citation.\n\n- un point\n\nFin.")
    assert doc.title == "Le titre"
    assert doc.blocks == (
        ("heading", "Une section"),
        ("quote", "Une citation."),
        ("bullet", "un point"),
        ("paragraph", "Fin."),
    )


def test_crlf_line_endings() -> None:
    assert _texts("Titre\r\n\r\nUn texte.\r\n") == ["Un texte."]


# -- block kinds -----------------------------------------------------------------------------


def test_quote_with_reddit_attribution() -> None:
    line = '"L’IA a fait des milliers de requêtes ; comme si." - u/kknyyk (254 points)'
    assert _blocks(f"Titre\n\n{line}\n\nFin.") == [("quote", line), ("paragraph", "Fin.")]


def test_curly_whole_line_quote() -> None:
    line = "“On passe plus de temps à remplir des formulaires. Pendant ce temps, rien.”"
    assert _blocks(f"Titre\n\nIntro :\n\n{line}")[1] == ("quote", line)


def test_quote_followed_by_narration_is_a_paragraph() -> None:
    line = "« Je suis très enthousiaste », déclare Simon Frieder, mathématicien."
    assert _blocks(f"Titre\n\n{line}")[0] == ("paragraph", line)


def test_headings_and_signature() -> None:
    raw = (
        "Titre\n\nUn paragraphe.\n\nPoint de vue neutre\n\nUn autre paragraphe.\n\n"
        "Les conversations numériques dessinent notre époque. - Fanny Roselmack"
    )
    doc = clean_text_document(raw)
    assert [kind for kind, _ in doc.blocks] == ["paragraph", "heading", "paragraph", "paragraph"]
    assert doc.author == "Fanny Roselmack"


def test_standalone_question_heading_in_articles() -> None:
    raw = "Titre\n\nUn paragraphe.\n\nL’argent, nerf de la guerre… et source de tous les maux ?\n\nSuite."
    assert _blocks(raw)[1] == ("heading", "L’argent, nerf de la guerre… et source de tous les maux ?")


def test_short_label_with_colon_is_a_heading() -> None:
    raw = "Titre\n\n📍 Contexte :\nEn 2025, les annonces se multiplient.\n• Un point"
    assert _blocks(raw) == [
        ("heading", "📍 Contexte :"),
        ("paragraph", "En 2025, les annonces se multiplient."),
        ("bullet", "Un point"),
    ]


def test_hard_wrapped_lines_are_joined() -> None:
    assert _texts("Titre\n\nUne phrase coupée\npar l'éditeur en deux.") == [
        "Une phrase coupée par l'éditeur en deux."
    ]


def test_whitespace_is_collapsed() -> None:
    assert _texts("Titre\n\nDes   espaces\u00a0 et\ttab.") == ["Des espaces et tab."]


# -- glued sentences -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glued", "fixed"),
    [
        ("à Venise.Selon le quotidien", "à Venise. Selon le quotidien"),
        ("en 2019.Le président", "en 2019. Le président"),
        ("selon l'AFP.Les secours", "selon l'AFP. Les secours"),
        ("(OMS).Cela", "(OMS). Cela"),
        ('a-t-il ajouté."Nous sommes', 'a-t-il ajouté. "Nous sommes'),
        ('les "gilets jaunes".Ils', 'les "gilets jaunes". Ils'),
        ('il a dit "désolé.""Je pars"', 'il a dit "désolé." "Je pars"'),
        ("des chercheurs.»Il", "des chercheurs.» Il"),
        ("pourquoi ?Le", "pourquoi ? Le"),
        ("à 19h.Cette", "à 19h. Cette"),
    ],
)
def test_glued_sentences_are_separated(glued: str, fixed: str) -> None:
    assert fix_glued_sentences(glued) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "M.Macron a parlé",
        "les U.S.A. et le J.C. Decaux",
        "plus de 2.600 passagers",
        "3.5 millions",
        "sur nature.com et www.Site.Fr",
        "https://example.org/A.B",
        "le site Ouest-France.Fr",
        "chez E.Leclerc et sur France.TV",
        "Un bonjour.",
    ],
)
def test_non_glue_is_left_alone(text: str) -> None:
    assert fix_glued_sentences(text) == text


# -- speed -----------------------------------------------------------------------------------


def test_cleaning_takes_milliseconds() -> None:
    raws = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    start = time.perf_counter()
    for _ in range(5):
        for raw in raws:
            clean_text_document(raw)
    assert (time.perf_counter() - start) / (5 * len(raws)) < 0.05
