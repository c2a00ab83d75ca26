"""A synthetic knowledge base for benchmarks and tests: copies of a real review under new ids.

`write_synthetic(dest, copies, seed)` writes `copies` review folders into `dest` (a data/ folder),
each a copy of data/blinatumomab with every collection it has, under its own review id
(`synthetic-001`, ...) and title. Entity titles and summaries get a word chosen by
`random.Random` from the seed and the copy's number, so copies are not byte-identical; ids,
figures, references, rules and cross-links are kept as they are, so each folder is as valid as the
real one (entity ids only need to be unique within a review folder). Same seed, same files.

    python -m generator.devtools.synthetic DEST --copies N [--seed S] [--check]
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent  # the project
SOURCE = ROOT / "data" / "blinatumomab"
SCHEMA = ROOT / "data" / "knowledge-base.schema.json"

#: Words put in front of titles and summaries; chosen per entity from the seed.
WORDS = (
    "Amber",
    "Birch",
    "Cedar",
    "Delta",
    "Ember",
    "Fjord",
    "Garnet",
    "Harbour",
    "Indigo",
    "Juniper",
    "Kestrel",
    "Lagoon",
    "Meadow",
    "Nimbus",
    "Onyx",
    "Prairie",
    "Quartz",
    "Raven",
    "Sierra",
    "Tundra",
    "Umber",
    "Violet",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Basalt",
    "Cobalt",
    "Dune",
    "Estuary",
    "Falcon",
    "Glacier",
    "Heron",
    "Iris",
    "Jasper",
    "Kelp",
    "Linden",
    "Marble",
    "Nectar",
)


def review_id(number: int) -> str:
    return f"synthetic-{number:03d}"


def _header(text: str) -> str:
    """The leading comment lines of a data file (the yaml-language-server line and the notes)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def _vary(item: Any, rng: random.Random, tag: str) -> None:
    """Prefix an entity's title and summary with a word, in place."""
    if not isinstance(item, dict):
        return
    word = rng.choice(WORDS)
    if isinstance(item.get("title"), str):
        item["title"] = f"{word} {item['title']}"
    if isinstance(item.get("summary"), str):
        item["summary"] = f"{word} ({tag}). {item['summary']}"


def _rewrite(data: Any, rng: random.Random, number: int) -> Any:
    if not isinstance(data, dict):
        return data
    tag = f"synthetic copy {number}"
    for key, items in data.items():
        if key == "review" and isinstance(items, dict):
            word = rng.choice(WORDS)
            items["id"] = review_id(number)
            items["title"] = f"{word} synthetic review {number:03d}: {items.get('title', '')}"
            if isinstance(items.get("summary"), str):
                items["summary"] = f"{word} ({tag}). {items['summary']}"
        elif isinstance(items, list):
            for item in items:
                _vary(item, rng, tag)
    return data


class _Dumper(yaml.SafeDumper):
    """Block style, except short mappings and lists of plain scalars: `value: {value: 34, unit: '%'}`."""

    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> yaml.Node:
        node = super().represent_mapping(tag, mapping, flow_style)
        node.flow_style = _short(node.value)
        return node

    def represent_sequence(self, tag: str, sequence: Any, flow_style: bool | None = None) -> yaml.Node:
        node = super().represent_sequence(tag, sequence, flow_style)
        node.flow_style = _short(node.value)
        return node


def _short(value: list) -> bool:
    scalars = [n for pair in value for n in (pair if isinstance(pair, tuple) else (pair,))]
    if not all(isinstance(n, yaml.ScalarNode) for n in scalars):
        return False
    return sum(len(str(n.value)) + 4 for n in scalars) <= 60


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_synthetic(dest: Path, copies: int, seed: int = 0, source: Path = SOURCE) -> list[str]:
    """Write `copies` review folders into `dest`; returns their review ids (also the folder names)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if SCHEMA.exists() and not (dest / SCHEMA.name).exists():
        shutil.copy(SCHEMA, dest / SCHEMA.name)  # what each file's `$schema=../...` line points at
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml"))
    texts = {p.relative_to(source): p.read_text(encoding="utf-8") for p in files}
    parsed = {rel: yaml.safe_load(text) for rel, text in texts.items()}
    ids = []
    for number in range(1, copies + 1):
        rid = review_id(number)
        folder = dest / rid
        if folder.exists():
            shutil.rmtree(folder)
        # A string seed is hashed with SHA-512: stable across runs and PYTHONHASHSEED.
        rng = random.Random(f"{seed}:{number}")
        for rel in sorted(texts):  # a fixed order, so the draws from rng are the same every time
            data = _rewrite(copy.deepcopy(parsed[rel]), rng, number)
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_header(texts[rel]) + _dump(data), encoding="utf-8")
        ids.append(rid)
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="the data/ folder to write review folders into")
    parser.add_argument("--copies", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true", help="load the result with the generator's load_reviews")
    args = parser.parse_args(argv)
    ids = write_synthetic(args.dest, args.copies, args.seed)
    print(f"wrote {len(ids)} synthetic reviews to {args.dest}")
    if args.check:
        sys.path.insert(0, str(ROOT))
        from generator.build import load_reviews
        from generator.problems import DataError

        try:
            reviews = load_reviews(args.dest)
        except DataError as err:
            print(err.report(), file=sys.stderr)
            return 1
        print(f"load_reviews accepted {len(reviews)} reviews")
    return 0


if __name__ == "__main__":
    sys.exit(main())
