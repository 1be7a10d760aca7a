"""Rendering a stored edition to the files the web archive serves (``editions/<id>.html|.txt``)."""

from __future__ import annotations

from pathlib import Path

from composer.models import Edition, RenderedEdition
from composer.pipeline.context import Context


def render(ctx: Context, edition: Edition) -> tuple[RenderedEdition, Path, Path]:
    """Render ``edition`` and write its HTML (the web archive page) and text files."""
    from composer.render import email_environment, personalize, render_edition

    rendered = render_edition(edition, ctx.settings, email_environment(ctx.template_path))
    html_path = ctx.workspace.editions / f"{edition.id}.html"
    text_path = ctx.workspace.editions / f"{edition.id}.txt"
    archive_unsubscribe = f"{ctx.settings.base_url.rstrip('/')}/unsubscribe"
    html_path.write_text(personalize(rendered.html, archive_unsubscribe, "vous"), encoding="utf-8")
    text_path.write_text(personalize(rendered.text, archive_unsubscribe, "vous"), encoding="utf-8")
    return rendered, html_path, text_path
