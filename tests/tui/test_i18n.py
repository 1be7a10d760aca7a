"""One language per workspace: no word of the other language anywhere in the editor.

The walk visits every tab, the help of each, the command palette (its entries, its placeholder,
its "no match"), every dialog (remove, send, sending, editions, block editor, quitting, the
sample offer) and the notifications on the way, in French and in English, and fails on a word
that only the other language uses.  The words are chosen so that the sample articles (French,
shown as they are in both) contain none of them; a guard checks that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.i18n import LABELS
from composer.tui.keymap import ACTIONS
from composer.tui.modals import EditionsScreen, EditScreen, QuitScreen, SendScreen
from tests.tui.conftest import SEEDS, TODAY, screen_text, sync, wait_for
from tests.tui.test_flows import highlight

FRENCH = (
    "Bibliothèque Relecture Aperçu Choisir Quitter Aide Construire Envoyer Annuler Enregistrer Modifier "
    "Retirer brouillon Vérifications Filtrer abonné Archiver Archivés archivés Ajouter Trier Méthode "
    "Fermer Oui Non Thème touches échap entrée suppr Objet Titre Tonalité choisis Chercher Annulé "
    "Expéditeur Boîte réception prête Restaurer Partout Rester"
).split()
ENGLISH = (
    "Library Review Preview Pick Quit Help Build Send Cancel Save Edit Drop draft Search commands Theme "
    "Keys Screenshot Maximize Minimize space Press Filter Archive Archived Add Sort Method Yes No Subject "
    "Preheader Title Tone matches Undone esc Sender Inbox ready Restore default Editions picked Open Stay"
).split()
FOREIGN = {"fr": ENGLISH, "en": FRENCH}


def foreign_words(text: str, language: str) -> list[str]:
    """The other language's tell-tale words found in ``text`` (whole words, case as written)."""
    return [w for w in FOREIGN[language] if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


def test_the_tell_tale_words_are_not_in_the_sample_articles() -> None:
    articles = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    assert foreign_words(articles, "fr") == [] and foreign_words(articles, "en") == []


def test_both_languages_have_every_label_and_every_action_its_words() -> None:
    assert set(LABELS["fr"]) == set(LABELS["en"])
    for action in ACTIONS:
        assert f"a:{action.id}" in LABELS["fr"] and f"h:{action.id}" in LABELS["fr"]


def test_every_label_the_code_asks_for_exists() -> None:
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parents[2].glob("composer/tui/*.py")
    )
    asked = set(re.findall(r"\bt\(\s*\"([a-z_]+)\"", source)) | set(
        re.findall(r"labels\(\s*\"([a-z_]+)\"", source)
    )
    assert asked and not asked - set(LABELS["fr"]), asked - set(LABELS["fr"])


class Walk:
    """Collects what each screen shows, and what the notifications said."""

    def __init__(self, app: ComposerApp) -> None:
        self.app, self.seen = app, {}
        self.said: list[str] = []
        notify = app.notify

        def record(message: str, *args: object, **kwargs: object) -> None:
            self.said.append(str(message) + " " + str(kwargs.get("title") or ""))
            notify(message, *args, **kwargs)  # type: ignore[arg-type]

        app.notify = record  # type: ignore[method-assign]

    async def shot(self, pilot: object, name: str) -> None:
        await pilot.pause()  # type: ignore[attr-defined]
        self.seen[name] = screen_text(self.app)


async def walk(app: ComposerApp, pilot: object) -> Walk:
    """Every tab, help, palette, dialog and notification of one session."""
    w = Walk(app)
    press = pilot.press  # type: ignore[attr-defined]
    for aid in [row.id for row in app.library.shown]:
        app.digest_now(aid)
    await press("space", "space", "space", "x", "u", "ctrl+c")
    await w.shot(pilot, "library")
    await press("X")
    await w.shot(pilot, "archived")
    await press("X", "a")
    await w.shot(pilot, "add")
    await press("escape", "delete")
    await w.shot(pilot, "confirm remove")
    await press("n", "2")
    await w.shot(pilot, "review")
    highlight(app, "recap:h")
    await press("e")
    assert isinstance(app.screen, EditScreen)
    await w.shot(pilot, "edit")
    await press("escape", "d", "u", "3")
    await w.shot(pilot, "edition")
    await press("b")
    await wait_for(pilot, lambda: app.built is not None)
    await w.shot(pilot, "built")
    await press("end")
    await w.shot(pilot, "checklist end")
    await press("4")
    await w.shot(pilot, "preview")
    for tab in "1234":
        await press(tab, "question_mark")
        await w.shot(pilot, f"help {tab}")
        await press("G")
        await w.shot(pilot, f"help {tab} end")
        await press("escape")
    await press("ctrl+p")
    await w.shot(pilot, "palette")
    await press(*"zzqqxx")
    await pilot.pause(0.8)  # type: ignore[attr-defined]
    await w.shot(pilot, "palette no match")
    await press("escape", "L")
    assert isinstance(app.screen, EditionsScreen)
    await w.shot(pilot, "editions")
    await press("escape", "3")
    app.query_one("#field-subject").focus()
    app.FIELD_SAVE_DELAY = 60.0  # quit before the typing pause stores the field, however slow the keys
    await press("O", "ctrl+q")
    assert isinstance(app.screen, QuitScreen)
    await w.shot(pilot, "quit")
    await press("escape", "escape", "ctrl+e")
    await wait_for(pilot, lambda: app.screen is not app._base and app.screen.focused is not None)
    await w.shot(pilot, "confirm send")
    await press("y")
    await wait_for(pilot, lambda: isinstance(app.screen, SendScreen) and app.screen.done)
    await w.shot(pilot, "sent")
    await press("escape")
    await w.shot(pilot, "after the send")
    w.seen["tooltips"] = "\n".join(str(n.tooltip) for n in app._base.query("*") if n.tooltip)
    palette = app.get_system_commands(app._base)
    w.seen["palette entries"] = "\n".join(f"{c.title} {c.help}" for c in palette)
    w.seen["notifications"] = "\n".join(w.said)
    return w


@pytest.mark.parametrize("language", ["fr", "en"])
@sync
async def test_every_screen_speaks_the_workspace_language_only(seeded: Context, language: str) -> None:
    seeded.settings = type(seeded.settings)(language=language)
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        w = await walk(app, pilot)
    wrong = {name: found for name, text in w.seen.items() if (found := foreign_words(text, language))}
    assert not wrong, wrong
    own = FRENCH if language == "fr" else ENGLISH
    screens = [text for name, text in w.seen.items() if name not in ("tooltips", "notifications")]
    assert all(any(word in text for word in own) for text in screens)  # the walk saw the editor
    assert w.seen["tooltips"]
    if language == "en":
        assert " du " not in app.draft.title


@pytest.mark.parametrize("language", ["fr", "en"])
@sync
async def test_the_sample_offer_speaks_the_workspace_language(context: Context, language: str) -> None:
    context.settings = type(context.settings)(language=language)
    app = ComposerApp(context, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen is not app._base)
        await pilot.pause()
        text = screen_text(app)
        assert not foreign_words(text, language), foreign_words(text, language)
        assert ("vide" if language == "fr" else "empty") in text
