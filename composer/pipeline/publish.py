"""Rendering a stored edition to the files the web archive serves (``editions/<id>.html|.txt``)."""

from __future__ import annotations

from pathlib import Path

from composer.models import Edition, RenderedEdition
from composer.pipeline.context import Context


def render(ctx: Context, edition: Edition) -> tuple[RenderedEdition, Path, Path]:
    """Render ``edition`` for mail, and write its public web version (HTML and text) to the archive.

    The web version has no personal line: no address, no unsubscribe token, a sign-up link.
    """
    from composer.render import email_environment, render_edition

    env = email_environment(ctx.template_path)
    rendered = render_edition(edition, ctx.settings, env)
    public = render_edition(edition, ctx.settings, env, archive=True)
    html_path = ctx.workspace.editions / f"{edition.id}.html"
    text_path = ctx.workspace.editions / f"{edition.id}.txt"
    _write(html_path, public.html)
    _write(text_path, public.text)
    return rendered, html_path, text_path


def _write(path: Path, text: str) -> None:
    """Write whole or not at all (the web side may be reading the page at the same moment)."""
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
