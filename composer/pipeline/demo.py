"""``composer demo``: the sample articles composed, approved and delivered to the local outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from composer import subscribers
from composer.edition import stored
from composer.models import DeliveryReport, Edition
from composer.paths import seeds_dir
from composer.pipeline.compose import AddReport, add_sources, build_edition
from composer.pipeline.context import Context, templates
from composer.pipeline.delivery import deliver
from composer.pipeline.publish import render


@dataclass
class DemoReport:
    """What ``composer demo`` made, for the CLI to print."""

    add: AddReport
    edition: Edition
    html_path: Path
    text_path: Path
    outbox: Path
    delivery: DeliveryReport
    warnings: list[str] = field(default_factory=list)


def demo(ctx: Context) -> DemoReport:
    """The embedded default: sample articles → edition → HTML + text → Maildir outbox."""
    seeds = seeds_dir()
    add = add_sources(ctx, [str(p) for p in sorted(seeds.glob("*.txt"))])
    subscribers.import_csv(ctx.store, seeds / "subscribers.csv")
    sample_ids = [a.id for a in add.added] + [a.id for a, _ in add.duplicates]
    # One demo edition a day: running the demo again resumes it and sends nothing twice.
    edition_id = f"demo-{Date.today().isoformat()}"
    row = ctx.store.edition_row(edition_id)
    if row is None or row["status"] == "draft":
        build_edition(
            ctx,
            sample_ids,
            edition_id=edition_id,
            new=row is None,
            title="La Lettre composer — édition de démonstration",
            introduction="Cinq articles sur l'IA, lus sous tous les angles : "
            "les faits, puis les points de vue, chacun tiré du texte source.",
        )
        stored.mark_ready(ctx.store, edition_id, templates(ctx))
    from composer.deliver.outbox import OutboxTransport

    # The demo never needs a server: it always delivers to the local outbox.
    result = deliver(ctx, edition_id, transport=OutboxTransport(ctx.workspace.outbox))
    html_path = ctx.workspace.editions / f"{edition_id}.html"
    text_path = ctx.workspace.editions / f"{edition_id}.txt"
    if not html_path.exists():
        render(ctx, result.edition)
    return DemoReport(
        add, result.edition, html_path, text_path, ctx.workspace.outbox, result.report, result.warnings
    )
