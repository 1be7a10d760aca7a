"""The perspective templates: headings and several phrasings per section, user-overridable.

Each section has a Jinja2 file ``<kind>.j2`` under ``templates/perspectives/<lang>/`` that
defines macros ``v1``, ``v2``… (the phrasings) and ``empty`` (the plain line used when the
article offers no material).  A file in the workspace's ``templates/`` folder wins over the
shipped one, so an editor can rephrase composer without touching its code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2

from composer.errors import TemplateError
from composer.models import SECTION_KINDS, SectionKind


class PerspectiveTemplates:
    """Loaded perspective templates for one language."""

    kinds: tuple[SectionKind, ...] = SECTION_KINDS

    def __init__(self, search_path: list[Path], language: str = "fr") -> None:
        self.language = language if language in ("fr", "en") else "fr"
        roots = [p / "perspectives" / self.language for p in search_path]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(r) for r in roots]),
            autoescape=False,  # output is split into parts and escaped by the email renderer
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
        )
        self._headings = self._load_headings(roots)
        self._modules: dict[str, Any] = {}

    @staticmethod
    def _load_headings(roots: list[Path]) -> dict[str, str]:
        for root in roots:
            path = root / "headings.json"
            if path.is_file():
                try:
                    return dict(json.loads(path.read_text(encoding="utf-8")))
                except (ValueError, UnicodeDecodeError) as exc:
                    raise TemplateError(f"{path} is not valid JSON ({exc}); fix it") from None
        raise TemplateError(f"no headings.json under {', '.join(map(str, roots))}; reinstall composer")

    def headings_map(self) -> dict[str, str]:
        """Heading → section kind, to read an edited edition back."""
        return {heading: kind for kind, heading in self._headings.items()}

    def heading(self, kind: SectionKind) -> str:
        """The section heading, e.g. "Point de vue optimiste"."""
        return self._headings[kind]

    def _module(self, kind: str) -> Any:
        if kind not in self._modules:
            try:
                self._modules[kind] = self.env.get_template(f"{kind}.j2").module
            except jinja2.TemplateError as exc:
                raise TemplateError(f"perspective template {kind}.j2 is broken or missing: {exc}") from None
        return self._modules[kind]

    def variants(self, kind: str) -> list[str]:
        """Names of the phrasings defined for ``kind``, in order."""
        module = self._module(kind)
        return sorted(n for n in dir(module) if n.startswith("v") and n[1:].isdigit())

    def render(self, kind: str, seed: int, *, empty: bool, **context: Any) -> str:
        """Render one phrasing (chosen by ``seed``) or the empty line for ``kind``."""
        module = self._module(kind)
        if empty:
            macro = module.empty
        else:
            names = self.variants(kind)
            if not names:
                raise TemplateError(f"perspective template {kind}.j2 defines no phrasing macro v1")
            macro = getattr(module, names[seed % len(names)])
        # Pass only what the macro declares, so a user's older template keeps working.
        accepted = (
            context if macro.catch_kwargs else {k: v for k, v in context.items() if k in macro.arguments}
        )
        try:
            return str(macro(**accepted))
        except jinja2.TemplateError as exc:
            raise TemplateError(f"perspective template {kind}.j2 failed: {exc}") from None
