"""The edition: composing a draft, the editor's edits, the stored lifecycle and the Markdown round trip.

``compose`` turns articles into entries (pure); ``content`` writes an entry to JSON and back;
``edits`` overlays the editor's words; ``stored`` keeps an edition in the workspace and moves
it from draft to sent; ``markdown`` is the text an editor edits in ``$EDITOR``.
"""

from composer.edition.compose import (
    assemble_edition,
    compose_item,
    entry_tone,
    lead_and_ranking,
    own_key_points,
    tone_balance,
    variant_seed,
)

__all__ = [
    "assemble_edition",
    "compose_item",
    "entry_tone",
    "lead_and_ranking",
    "own_key_points",
    "tone_balance",
    "variant_seed",
]
