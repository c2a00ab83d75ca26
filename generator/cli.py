"""Command line: `python -m generator check|markdown OUT|export OUT|schema OUT`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml

from .build import collisions, load_build, markdown_tree
from .export import review_files
from .output import OutputError, write_pages
from .problems import DataError
from .sections import data_file_schema


def _configured_sources(config: Path = Path("mkdocs.yml")) -> Path | None:
    """The plugin's `sources` option in mkdocs.yml, so `check` checks what the build checks."""
    if not config.is_file():
        return None
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and friends
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=loader) or {}
    except yaml.YAMLError:
        return None
    for plugin in settings.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("knowledge-base"), dict):
            folder = plugin["knowledge-base"].get("sources")
            return config.parent / folder if folder else None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb-site", description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("data"), help="the knowledge base folder")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (an empty data file...)")
    parser.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="the folder of the reviews' texts, to check evidence quotes against (default: mkdocs.yml's `sources`)",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=Path("content"),
        help="the hand-written pages (MkDocs docs_dir) generated pages must not replace",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate data/ and report every problem as path:LINE: message")
    md = sub.add_parser("markdown", help="write the generated Markdown pages to a folder")
    md.add_argument("out", type=Path)
    export = sub.add_parser(
        "export",
        help="write every export of each review to a folder: Moodle GIFT, QTI 2.1, Anki, DMN 1.3, "
        "CSL-JSON, BibTeX and RIS",
    )
    export.add_argument("out", type=Path)
    schema = sub.add_parser("schema", help="write the JSON Schema of a data file")
    schema.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "schema":
        args.out.write_text(json.dumps(data_file_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0
    sources = args.sources if args.sources is not None else _configured_sources()
    try:
        build = load_build(args.data, sources=sources)
        clashes = collisions(build, args.docs, Path.cwd())
        if clashes:
            raise DataError(clashes)
    except DataError as err:
        print(err.report(), file=sys.stderr)
        return 1
    if build.warnings:
        warnings = DataError(build.warnings)
        print("\n".join(str(w) for w in warnings.problems), file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print("\n".join(w.annotation() for w in warnings.problems), file=sys.stderr)
        if args.strict:
            print(f"{len(build.warnings)} warning(s) and --strict: nothing was written.", file=sys.stderr)
            return 1
    try:
        if args.command == "export":
            files: dict[str, str | bytes] = {}
            for kb in build.reviews:
                files.update(review_files(kb))
            write_pages(files, args.out)
            print(f"wrote {len(files)} files to {args.out}: {', '.join(sorted(files))}")
            return 0
        if args.command == "markdown":
            write_pages(markdown_tree(build), args.out)
            print(f"wrote {len(build.pages)} pages, their navigation and abbreviations to {args.out}")
            return 0
    except OutputError as err:
        print(f"{err}", file=sys.stderr)
        return 1
    for kb in build.reviews:
        if kb.review.source.text and not kb.source_checked:
            print(f"{kb.review.id}: evidence quotes not checked: {kb.review.source.text} not found in {sources}")
        counts = ", ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in sorted(kb.entities.items()))
        print(f"{kb.review.id}: OK ({counts}, {len(kb.references)} references, {len(kb.glossary)} terms)")
    return 0
