"""Commands over stored editions: build, edition list|show|edit|ready|unready, preflight.

``composer edition edit`` works as ``git commit`` does: it writes the edition as Markdown, runs
``$VISUAL`` or ``$EDITOR`` on it (without a terminal too, so scripts and tests can drive it),
and reads it back.  A file that cannot be read back is kept, its error named with the line,
and the next ``edit`` reopens it: nothing the editor typed is lost.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click

from composer.cli import _context, _err, _workspace_option, cli
from composer.errors import ComposerError, InputError, UsageError


@cli.command()
@click.option("--article", "article_ids", multiple=True, help="Article id to include (repeatable).")
@click.option("--title", default="", help="Edition title.")
@click.option("--intro", default="", help="The editor's introduction.")
@click.option("--edition", "edition_id", default="", help="Update this draft (default: the latest draft).")
@click.option("--new", is_flag=True, help="Start a new draft even if one exists.")
@click.option("--ready", is_flag=True, help="Mark it ready: the next `composer weekly` sends this edition.")
@_workspace_option
def build(
    article_ids: tuple[str, ...],
    title: str,
    intro: str,
    edition_id: str,
    new: bool,
    ready: bool,
    workspace: Path | None,
) -> None:
    """Compose a draft edition (new, or the latest draft again) and print its id.

    A new draft takes the articles not sent yet, or the given ones.  Building a draft again
    composes its articles afresh and keeps every edit, subject, preheader and field you set.
    """
    from composer.edition.stored import mark_ready
    from composer.pipeline import build_edition, render, templates

    context = _context(workspace)
    try:
        existed = bool(edition_id or (not new and context.store.latest_edition(("draft",))))
        edition = build_edition(
            context,
            list(article_ids) or None,
            title=title,
            introduction=intro,
            edition_id=edition_id,
            new=new,
        )
        _, html_path, text_path = render(context, edition)
        if ready:
            mark_ready(context.store, edition.id, templates(context))
    finally:
        context.close()
    _err(f"{'updated' if existed else 'created'} draft {edition.id}: {len(edition.items)} articles")
    _err(f"html: {html_path}\ntext: {text_path}")
    if ready:
        _err(f"{edition.id} is ready: `composer send` or the next `composer weekly` delivers it")
    click.echo(edition.id)


@cli.group()
def edition() -> None:
    """List, show, edit and approve stored editions."""


@edition.command(name="list")
@_workspace_option
def edition_list(workspace: Path | None) -> None:
    """One line per edition, newest first: id, status, articles, sent/failed, date, title."""
    context = _context(workspace)
    try:
        rows = context.store.edition_listing()
    finally:
        context.close()
    if not rows:
        _err("no editions yet; make one with `composer build`")
    click.echo("id\tstatus\tarticles\tsent\tfailed\tpending\tdate\ttitle")
    for r in rows:
        click.echo(
            f"{r['id']}\t{r['status']}\t{r['articles']}\t{r['sent']}\t{r['failed']}\t{r['pending']}\t"
            f"{r['sent_at'] or r['date']}\t{r['title']}"
        )


@edition.command(name="show")
@click.argument("edition_id", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True
)
@_workspace_option
def edition_show(edition_id: str | None, fmt: str, workspace: Path | None) -> None:
    """Print an edition (default: the latest) as Markdown, or as JSON with every part's provenance."""
    from composer.edition import stored
    from composer.edition.edits import edits_for
    from composer.edition.markdown import to_markdown
    from composer.pipeline import templates

    context = _context(workspace)
    try:
        row = stored.row_or_error(context.store, edition_id)
        generated = _as_sent_fields(context, row["id"])
        edits = edits_for(context.store, row["id"])
        if fmt == "markdown":
            click.echo(to_markdown(generated, edits, status=row["status"], help_text=False), nl=False)
            return
        final = stored.load(context.store, row["id"], templates(context))
        click.echo(json.dumps(_as_json(row, final, edits), ensure_ascii=False, indent=2))
    finally:
        context.close()


def _as_json(row, edition, edits) -> dict:  # type: ignore[no-untyped-def]
    def sentences(items):  # type: ignore[no-untyped-def]
        return [{"text": s.text, "index": s.index, "start": s.start, "end": s.end} for s in items]

    return {
        "id": edition.id,
        "status": row["status"],
        "title": edition.title,
        "date": edition.date,
        "subject": edition.subject,
        "preheader": edition.preheader,
        "introduction": edition.introduction,
        "sent_at": row["sent_at"],
        "articles": [
            {
                "id": item.article.id,
                "title": item.article.title,
                "url": item.article.url,
                "chapo": sentences(item.digest.summary),
                "essentiel": sentences(item.digest.key_points),
                "sections": [
                    {
                        "kind": s.kind,
                        "heading": s.heading,
                        "empty": s.empty,
                        "parts": [
                            {
                                "kind": p.kind,
                                "text": p.text,
                                "start": p.start,
                                "end": p.end,
                                "sentence": p.sentence_index,
                            }
                            for p in s.parts
                        ],
                    }
                    for s in item.sections
                ],
                "edits": {
                    kind: {"edited": e.edited, "original": e.original, "dropped": not e.edited.strip()}
                    for (aid, kind), e in edits.items()
                    if aid == item.article.id
                },
            }
            for item in edition.items
        ],
    }


def _as_sent_fields(context, edition_id: str):  # type: ignore[no-untyped-def]
    """The edition as composed (no edits), with the subject and preheader readers will get —
    an automatic preheader comes from the chapô as edited."""
    from dataclasses import replace

    from composer.edition import stored
    from composer.pipeline import templates

    generated = stored.load(context.store, edition_id, templates(context), edited=False)
    final = stored.load(context.store, edition_id, templates(context))
    return replace(generated, subject=final.subject, preheader=final.preheader)


def _editor_command() -> list[str]:
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("no editor: set VISUAL or EDITOR (e.g. EDITOR=nano), or run this in a terminal")
    for name in ("sensible-editor", "nano", "vi"):
        found = shutil.which(name)
        if found:
            return [found]
    raise UsageError("no editor found; set VISUAL or EDITOR (e.g. EDITOR=nano)")


@edition.command(name="edit")
@click.argument("edition_id", required=False)
@_workspace_option
def edition_edit(edition_id: str | None, workspace: Path | None) -> None:
    """Edit a draft (default: the latest) as Markdown in $VISUAL / $EDITOR, then read it back.

    Changed blocks become edits (composer's text is kept as the original); deleting a ### block
    drops that section, deleting a ## block drops the article, moving ## blocks reorders.
    """
    from composer.edition import markdown, stored
    from composer.edition.edits import edits_for
    from composer.pipeline import templates

    context = _context(workspace)
    try:
        row = stored.row_or_error(context.store, edition_id)
        eid = row["id"]
        stored.require_status(context.store, eid, stored.EDITABLE, "edit")
        generated = _as_sent_fields(context, eid)
        path = context.workspace.editions / f"{eid}.edit.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            _err(f"reopening your unsaved text {path} (delete it to start from the stored edition)")
        else:
            path.write_text(
                to_text(generated, edits_for(context.store, eid), row["status"]), encoding="utf-8"
            )
        before = path.read_text(encoding="utf-8")
        command = _editor_command()
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise UsageError(
                f"cannot run the editor {command[0]!r} ({exc.strerror}); check VISUAL / EDITOR"
            ) from None
        if done.returncode:
            raise ComposerError(
                f"the editor exited with status {done.returncode}; nothing changed "
                f"(your text is kept in {path})"
            )
        after = path.read_text(encoding="utf-8")
        headings = {s.heading: s.kind for item in generated.items for s in item.sections}
        headings |= templates(context).load().headings_map()
        known = {i.article.id: i.article.title for i in generated.items}
        try:
            parsed = markdown.parse(after, known, headings)
        except markdown.MarkdownError as exc:
            raise InputError(
                f"{path}:{exc.line}: {exc.message}; nothing changed, your text is kept there: "
                f"run `composer edition edit {eid}` again to fix it"
            ) from None
        if not parsed.articles:
            raise UsageError(
                f"every article was deleted; your text is kept in {path}. To start over, delete it"
            )
        applied = markdown.apply(context.store, generated, parsed)
        path.unlink()
    finally:
        context.close()
    if after == before and not any((applied.edited, applied.dropped, applied.reverted, applied.fields)):
        _err(f"{eid}: no changes")
    else:
        _err(f"{eid}: {applied.summary()}")
    click.echo(eid)


def to_text(generated, edits, status: str) -> str:  # type: ignore[no-untyped-def]
    """The Markdown an editor edits (with the help comment)."""
    from composer.edition.markdown import to_markdown

    return to_markdown(generated, edits, status=status)


@edition.command(name="ready")
@click.argument("edition_id", required=False)
@_workspace_option
def edition_ready(edition_id: str | None, workspace: Path | None) -> None:
    """Approve a draft (default: the latest): `composer send` or the next weekly run delivers it as it is."""
    from composer.edition import stored
    from composer.pipeline import templates

    context = _context(workspace)
    try:
        eid = stored.row_or_error(context.store, edition_id)["id"]
        stored.mark_ready(context.store, eid, templates(context))
    finally:
        context.close()
    _err(f"{eid} is ready: `composer send` or the next `composer weekly` delivers it")
    click.echo(eid)


@edition.command(name="unready")
@click.argument("edition_id", required=False)
@_workspace_option
def edition_unready(edition_id: str | None, workspace: Path | None) -> None:
    """Take a ready edition back to draft, to edit it again."""
    from composer.edition import stored

    context = _context(workspace)
    try:
        eid = stored.row_or_error(context.store, edition_id)["id"]
        stored.mark_unready(context.store, eid)
    finally:
        context.close()
    _err(f"{eid} is a draft again")
    click.echo(eid)


@cli.command()
@click.argument("edition_id", required=False)
@_workspace_option
def preflight(edition_id: str | None, workspace: Path | None) -> None:
    """Print the checklist a send runs (default: the latest edition); exit 7 if something blocks it."""
    from composer.edition import stored
    from composer.pipeline import render, templates
    from composer.preflight import run_preflight

    context = _context(workspace)
    try:
        eid = stored.row_or_error(context.store, edition_id)["id"]
        edition = stored.load(context.store, eid, templates(context))
        rendered, _, _ = render(context, edition)
        checks = run_preflight(edition, rendered, context.settings)
        settings = context.settings
    finally:
        context.close()
    marks = {"ok": "ok", "warning": "warning", "error": "ERROR"}
    for check in checks:
        line = f"{marks[check.level]}\t{check.label(settings.language)}"
        if check.level == "error":
            line += f"\t{check.problem(settings)}"
        elif check.items:
            line += "\t" + "; ".join(check.items[:5])
        click.echo(line)
    errors = [c for c in checks if c.level == "error"]
    if errors:
        _err(f"{eid}: {len(errors)} problem(s) would stop a send over SMTP")
        sys.exit(7)
