"""Knowledge base -> Markdown pages (a dict of path -> text) and the navigation that lists them.

Everything from YAML reaches a page through two doors: `prose()` for Markdown fields and the
environment's `finalize`, which escapes any other string, so a template cannot forget to escape.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from . import charts, decisions, fidelity, markup, sections
from . import quiz as quizzes
from .knowledge import KnowledgeBase
from .schema import UNITS, Value
from .values import format_p, format_value

Pages = dict[str, str]

#: The Markdown extensions the generated pages are written for (the plugin adds any a site lacks).
EXTENSIONS = (
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
)
#: The widgets' scripts and styles, shipped in this package and served under assets/kb-site/,
#: in the order a page loads them: the shared core before the widgets that use it.
ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/kb-site"
ASSET_FILES = ("kb.css", "kb-core.js", "kb.js", "decision-table.js", "quiz.js", "progress.js")

PHASE_LABEL = {"preclinical": "Preclinical", "retrospective": "Retrospective", "not-stated": "Not stated"}


@pass_context
def _setting(context: Any, setting_id: str) -> str:
    """A trial's setting as the review names it (its `settings`)."""
    return context["kb"].setting_title(setting_id)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(markup.escape_plain(value))


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs, as Python keeps .pyc files: only the first build after
    a template changes compiles it (Jinja checks the source's checksum). Compiled code also depends
    on the filters this module registers (Jinja decides at compile time which get the context), so
    the cache is keyed by this module's own source too. None where no private temporary folder can
    be made."""
    own = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    try:
        return FileSystemBytecodeCache(pattern=f"__kb_site_{own}_%s.cache")
    except (OSError, RuntimeError):
        return None


def _loader() -> ChoiceLoader:
    """The package's templates, after any folders `sections.extended` adds (they may add kinds)."""
    return _Loaders([PackageLoader("generator", "templates")])


class _Loaders(ChoiceLoader):
    """A ChoiceLoader that always looks in the folders registered in `sections.TEMPLATE_DIRS` first."""

    @property  # type: ignore[override]
    def loaders(self) -> list:
        return [FileSystemLoader(str(d)) for d in sections.TEMPLATE_DIRS] + self._own

    @loaders.setter
    def loaders(self, value: list) -> None:
        self._own = list(value)


@functools.cache
def html_environment() -> Environment:
    """For the raw HTML of the widgets (templates/*.html.j2): plain HTML escaping, no Markdown."""
    return Environment(
        loader=_loader(),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def environment() -> Environment:
    """One Jinja environment per process: templates compile once (and recompile when edited)."""
    env = Environment(
        loader=_loader(),
        bytecode_cache=_bytecode_cache(),
        # Autoescape makes macros return Markup and escapes anything a filter builds from data;
        # _finalize escapes plain strings for Markdown as well as HTML.
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        auto_reload=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["phase"] = lambda p: PHASE_LABEL.get(p, f"Phase {p}")
    env.filters["cell"] = table_cell
    env.filters["setting"] = _setting
    env.tests["contains"] = lambda seq, item: item in seq
    env.filters["first_or_none"] = lambda seq: next(iter(seq), None)
    env.filters["sentence"] = markup.sentence
    return env


def table_cell(text: str) -> Markup:
    """Rendered Markdown fit for one cell of a pipe table: one line, and no `|` that would end the cell.
    Every cell of every template goes through this one path (plain text already has its `|` escaped)."""
    return Markup(str(text).replace("\n", " ").replace("|", "&#124;"))


def plain_text(text: str, kb: KnowledgeBase) -> str:
    """Prose without markup: links become their words, figures their values (for meta tags)."""

    def word(match: re.Match[str]) -> str:
        target, label = match.group(1).strip(), match.group(2)
        found = kb.targets[target]
        return label or (format_value(found.value) if found.value is not None else found.title)

    text = markup.LINK.sub(word, text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`#>]+", "", " ".join(text.split()))


def _description(text: str, kb: KnowledgeBase, limit: int = 160) -> str:
    words = plain_text(text, kb)
    if len(words) > limit:
        words = words[: limit - 1].rsplit(" ", 1)[0] + "…"
    return words


@functools.lru_cache(maxsize=65536)
def _href(prefix: str, path: str, page: str, anchor: str | None) -> str:
    """Link from the page at `path` to `page` of the review `prefix` ("/page" is site-wide)."""
    target = f"{prefix}/{page}" if not page.startswith("/") else page[1:]
    return get_relative_url(target, path) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=64)
def _abbreviations(glossary: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One pattern for a glossary's terms (longest first, whole words), as the abbr extension matches."""
    if not glossary:
        return None
    expansions = {html.escape(term, quote=False): " ".join(expansion.split()) for term, expansion in glossary}
    alternatives = "|".join(re.escape(t) for t in sorted(expansions, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), expansions


@dataclass
class PageContext:
    """Helpers a template calls, bound to the page being written (for relative links)."""

    kb: KnowledgeBase
    path: str  # relative to the site's docs root, e.g. "blinatumomab/trials/tower.md"

    def href(self, page: str, anchor: str | None = None) -> str:
        return _href(self.kb.review.id, self.path, page, anchor)

    def link(self, target: str, label: str | None = None) -> Markup:
        found = self.kb.targets[target]
        if found.value is not None and label is None:
            text = markup.escape_plain(format_value(found.value))
        else:
            text = markup.escape_plain(label or found.title)
        return Markup(f"[{text}]({self.href(found.page, found.anchor)})")

    def prose(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        return Markup(markup.render_prose(text, lambda t, label: self.link(t, label)))

    def cite(self, refs: Iterable[int]) -> Markup:
        numbers = sorted(set(refs))
        if not numbers:
            return Markup("")
        links = ", ".join(f"[{n}]({self.href('references.md', f'ref-{n}')})" for n in numbers)
        return Markup(f'<sup class="kb-cite">[{links}]</sup>')

    def value(self, value: Value | None) -> Markup:
        return Markup(markup.escape_plain(format_value(value))) if value is not None else Markup("")

    def p(self, pvalue: Any) -> Markup:
        return Markup(markup.escape_plain(format_p(pvalue))) if pvalue is not None else Markup("")

    def text(self, text: str) -> str:
        """Prose as plain text (for raw HTML and JSON): [[x/y]] becomes the figure, [[x]] its title."""

        def word(match: re.Match[str]) -> str:
            target, label = match.group(1).strip(), match.group(2)
            found = self.kb.targets[target]
            return label or (format_value(found.value) if found.value is not None else found.title)

        return markup.LINK.sub(word, text)

    def abbreviated(self, text: str) -> Markup:
        """Plain text as HTML with the review's abbreviations in <abbr> (for the widgets' raw HTML,
        which the Markdown abbreviation extension never sees)."""
        escaped = html.escape(text, quote=False)
        pattern = _abbreviations(tuple(sorted((t.term, t.expansion) for t in self.kb.glossary)))
        if pattern is None:
            return Markup(escaped)
        pattern, expansions = pattern
        return Markup(
            pattern.sub(
                lambda m: f'<abbr title="{html.escape(expansions[m.group(0)], quote=True)}">{m.group(0)}</abbr>',
                escaped,
            )
        )

    def tables_about(self, page: str) -> list[tuple[str, str]]:
        """(title, href) of the decision tables that serve `page`."""
        return [(t.title, self.href(self.kb.page_of("decision_tables", t.id))) for t in self.kb.tables_about(page)]

    def quizzes_testing(self, page: str) -> list[tuple[str, str]]:
        """(title, href) of the quiz modules that test `page`."""
        return [(q.title, self.href(self.kb.page_of("quizzes", q.id))) for q in self.kb.quizzes_testing(page)]

    def decision_table(self, table: Any) -> Markup:
        """The table as HTML: rows carry data-rule and an anchor; the widget reads data-rules."""
        compiled = self.kb.compiled[table.id]
        outputs = {r.id: {k: self.text(v) if v != "-" else "—" for k, v in r.then.items()} for r in table.rules}
        conditions = {
            rule.id: [decisions.condition_text(rule, i, compiled, n) for i in table.inputs]
            for n, rule in enumerate(table.rules)
        }
        return Markup(
            html_environment()
            .get_template("decision-table.html.j2")
            .render(
                table=table,
                rules_json=Markup(json_attribute(decisions.to_json(compiled, outputs))),
                conditions=conditions,
                outputs=outputs,
                ab=self.abbreviated,
            )
        )

    def rule_conditions(self, table: Any, rule: Any) -> list[tuple[str, str]]:
        """(input label, condition) of each input a rule tests, in words: ('Grade', '1 or 2')."""
        compiled = self.kb.compiled[table.id]
        index = table.rules.index(rule)
        said = [(i.label, decisions.condition_text(rule, i, compiled, index)) for i in table.inputs]
        return [(label, text) for label, text in said if text != "any"]

    def quiz_question(self, q: Any, number: int, seed: int = 0) -> Markup:
        """A question as a fieldset; the answer key rides in data-key for the script to mark with."""
        answer = self.kb.answers.get(q.id)
        return Markup(
            html_environment()
            .get_template("question.html.j2")
            .render(
                q=q,
                number=number,
                text=self.text,
                options=fidelity.option_order(q, seed),
                unit=answer[1] if answer else None,
                version=quizzes.version(self.kb, q),
                key=Markup(json_attribute(quizzes.key(self.kb, q, self.text))),
                ab=self.abbreviated,
            )
        )

    def tested_pages(self, quiz: Any) -> list[str]:
        """The targets a module's questions test, each once, in the order the questions name them."""
        return list(dict.fromkeys(q.tests for q in quiz.all_questions() if q.tests))

    def progress_data(self, quizzes_: list[Any]) -> Markup:
        """What the progress page's script needs of each module, as JSON for a data attribute: its
        questions in page order with their number, prompt, content version and the target they test."""
        modules = [
            {
                "id": quiz.id,
                "title": quiz.title,
                "pass": quiz.pass_mark,
                "questions": [
                    {
                        "id": q.id,
                        "n": n,
                        "prompt": self.text(q.prompt),
                        "v": quizzes.version(self.kb, q),
                        "tests": q.tests,
                    }
                    for n, q in enumerate(quiz.all_questions(), 1)
                ],
            }
            for quiz in quizzes_
        ]
        return Markup(json_attribute({"modules": modules}))

    def quiz_answer(self, q: Any, seed: int = 0) -> str:
        """The right answer in words, for the collapsed answer and the educators' key."""
        if q.options:
            letters = "abcdefghijklmnopqrstuvwxyz"
            shown = fidelity.option_order(q, seed)
            right = [f"{letters[i]}) {self.text(o.text)}" for i, o in enumerate(shown) if o.correct]
            return "; ".join(right)
        if q.answer is not None:
            value, unit, low, high = self.kb.answers[q.id]
            shown = format_value(Value(value=value, unit=unit))
            return shown + (f" (accepted {low:g} to {high:g})" if low != high else "")
        return " or ".join(q.accept)

    def rule_number(self, table: Any, rule_id: str) -> int:
        """A rule's number in its table, as the table and its widget show it."""
        return next(n for n, rule in enumerate(table.rules, 1) if rule.id == rule_id)

    def by_therapy(self, items: list[Any]) -> list[tuple[Any, list[Any]]]:
        """`items` (each with a `therapy`) grouped under their therapy, therapies in their section's order."""
        therapies = sorted(self.kb.items("therapies"), key=sections.section("therapies").order)
        groups = [(t, [i for i in items if i.therapy == t.id]) for t in therapies]
        return [(t, found) for t, found in groups if found]

    def page_title(self, page: str) -> str:
        return self.kb.page_titles.get(page, page)

    def backlinks(self, page: str) -> list[tuple[str, str]]:
        """(title, href) of each page that links to `page`, by title."""
        pages = sorted(self.kb.linked_from.get(page, ()), key=lambda p: (self.page_title(p), p))
        return [(self.page_title(p), self.href(p)) for p in pages]


#: JSON's own escapes for the characters HTML gives a meaning to: a value then holds no `&` or `<`
#: that an HTML parser (md_in_html re-serialises raw HTML) could decode, so `&quot;` typed in a
#: feedback stays those six characters instead of becoming a quote that ends the JSON string.
_JSON_IN_HTML = str.maketrans({"&": "\\u0026", "<": "\\u003c", ">": "\\u003e", "'": "\\u0027"})


def json_attribute(data: Any) -> str:
    """`data` as JSON for a double-quoted HTML attribute (the widgets read it with JSON.parse)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_IN_HTML).replace('"', "&quot;")


_TABLE = re.compile(r"^\|.*\|\n\|(?:-+\|)+\n(?:\|.*\|(?:\n|$))*", re.M)


def _table(match: re.Match[str]) -> str:
    """One pipe table, without the columns no row fills (a Follow-up column of a trial that gives
    none), in a `kb-table` box that the site's styles fit to the page (compact cells, a first column
    that stays in view when the table scrolls sideways). Every `|` inside a cell is escaped (the
    `cell` filter, escape_plain), so `|` splits cells."""
    text = match.group(0)
    rows = [line[1:-1].split("|") for line in text.rstrip("\n").split("\n")]
    width = len(rows[0])
    if len(rows) >= 3 and all(len(row) == width for row in rows):
        keep = [i for i in range(width) if any(row[i].strip() for row in rows[2:])] or [0]
        text = "".join("|" + "|".join(row[i] for i in keep) + "|\n" for row in rows)
    return f'\n<div class="kb-table" markdown>\n\n{text.rstrip()}\n\n</div>\n\n'


def tidy(markdown: str) -> str:
    """Blank lines around headings and after tables, at most one blank line in a row, and no table
    column left empty on every row."""
    markdown = _TABLE.sub(_table, markdown)
    markdown = re.sub(r"\n(#{1,6} )", r"\n\n\1", markdown)
    markdown = re.sub(r"(^\|.*\|)\n(?=[^|\n])", r"\1\n\n", markdown, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def _front_matter(title: str, description: str, search: bool = True, boost: float | None = None) -> str:
    # Plain text, as any engine reads front matter; the MkDocs plugin escapes them for Material,
    # which prints page.meta.title and the description as they are.
    meta: dict[str, Any] = {"title": title, "description": description}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in sorted(meta.items())]  # JSON is YAML
    if not search:
        lines.append("search:\n  exclude: true")
    elif boost is not None:  # Material's search ranks the page's entries by this weight
        lines.append(f"search:\n  boost: {boost:g}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def render_review(kb: KnowledgeBase, env: Environment | None = None) -> Pages:
    """Every page of one review, keyed by path under the docs root."""
    env = env or environment()
    pages: Pages = {}

    def emit(
        page: str,
        template: str,
        title: str,
        description: str,
        search: bool = True,
        boost: float | None = None,
        **extra: Any,
    ) -> None:
        path = f"{kb.review.id}/{page}"
        ctx = PageContext(kb, path)
        body = env.get_template(template).render(
            kb=kb, c=ctx, page=page, title=title, review=kb.review, charts=charts, **extra
        )
        pages[path] = _front_matter(title, description, search, boost) + tidy(body)

    review = kb.review
    for extra in sections.PAGES:
        if extra.needs is not None and not kb.items(extra.needs):
            continue
        emit(
            extra.path,
            extra.template,
            review.title if extra.id == "home" else extra.title,
            _page_description(kb, extra.id),
            extra.search,
            **_page_extras(kb, extra.id),
        )
    for row in sections.with_pages():
        items = sorted(kb.items(row.key), key=lambda i: row.order(i, kb))
        if row.overview is None:
            continue
        emit(
            row.overview,
            row.index_template,
            row.title,
            f"{row.title}: {', '.join(i.title for i in items)}"[:160],
            boost=row.search_boost,
            items=items,
            kind=row.key,
            heading=row.nav,
        )
        for item in items:
            emit(
                row.page_of(item.id),
                row.item_template,
                item.title,
                _description(item.summary, kb),
                boost=row.search_boost,
                item=item,
            )
    return pages


def _page_extras(kb: KnowledgeBase, page_id: str) -> dict[str, Any]:
    """What the review's other pages list, in the order they list it."""
    if page_id == "comparison":
        return {"therapies": sorted(kb.items("therapies"), key=lambda i: sections.section("therapies").order(i, kb))}
    if page_id in ("answer-key", "progress"):
        return {"quizzes": kb.items("quizzes")}
    if page_id == "glossary":
        return {"terms": sorted(kb.glossary, key=lambda t: t.term.lower())}
    if page_id == "home":
        return {"contents": _contents(kb)}
    return {}


def _contents(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(heading, page, what it holds) of every section of a review, for its "What is here" table."""
    rows = []
    for row in sections.with_pages():
        count = len(kb.items(row.key))
        if row.nav is None or row.overview is None or not count:
            continue
        if row.key == "open_questions" and kb.items("therapies"):
            rows.append(("Comparison", "comparison.md", f"{len(kb.items('therapies'))} therapies side by side"))
        noun = {"quizzes": "module", "decision_tables": "table"}.get(row.key, "page")
        rows.append((row.nav, row.overview, f"{count} {noun}{'' if count == 1 else 's'}"))
    rows.append(("References", "references.md", f"{len(kb.references)} references"))
    rows.append(("Glossary", "glossary.md", f"{len(kb.glossary)} abbreviations"))
    return rows


def _page_description(kb: KnowledgeBase, page_id: str) -> str:
    if page_id == "home":
        return _description(kb.review.summary, kb)
    if page_id == "comparison":
        return "Side-by-side comparison of " + ", ".join(t.title for t in kb.items("therapies"))
    if page_id == "references":
        return f"The {len(kb.references)} references of the review, with the pages that cite each."
    if page_id == "answer-key":
        return "Every question of the self-assessment modules with its answer, explanation and sources."
    if page_id == "progress":
        return "Your answers to the self-assessment modules, module by module, as this browser keeps them."
    if page_id == "glossary":
        return f"The {len(kb.glossary)} abbreviations used in this review, expanded."
    return next(p.title for p in sections.PAGES if p.id == page_id)


def render_home(reviews: list[KnowledgeBase]) -> str:
    """The site's home page, which lists the reviews."""
    home = (
        environment()
        .get_template("home.md.j2")
        .render(reviews=reviews, contexts={kb.review.id: PageContext(kb, "index.md") for kb in reviews})
    )
    description = "Study guides for trainees: " + "; ".join(kb.review.title for kb in reviews)
    return _front_matter("Home", description[:160]) + tidy(home)


def _type_of(prop: dict, defs: dict) -> str:
    """A JSON Schema property's type in words: `text`, `number`, `list of Statement`, `one of: a, b`."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "enum" in prop:
        return "one of: " + ", ".join(str(v) for v in prop["enum"])
    if "const" in prop:
        return str(prop["const"])
    if "anyOf" in prop:
        kinds = [_type_of(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}), defs)}"
    if kind == "object":
        return "mapping"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}.get(
        str(kind), str(kind or "any")
    )


def _no_attributes(text: str) -> str:
    """Braces outside code spans as entities, so attr_list does not read `{...}` as attributes."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # outside backticks
        parts[i] = parts[i].replace("{", "&#123;").replace("}", "&#125;")
    return "`".join(parts)


def guide_models() -> list[dict[str, Any]]:
    """Every model of the data files with its fields (name, type, required, description), for the guide."""
    schema = sections.data_file_schema()
    defs = schema["$defs"]
    linked = re.compile(r"\b(" + "|".join(sorted(defs, key=len, reverse=True)) + r")\b")
    rows = []
    for name in sorted(defs):
        spec = defs[name]
        required = set(spec.get("required", []))
        fields = [
            {
                "name": field,
                "type": Markup(linked.sub(lambda m: f"[{m.group(1)}](#{m.group(1).lower()})", _type_of(prop, defs))),
                "required": field in required,
                "description": Markup(_no_attributes(prop.get("description", ""))),  # from schema.py: Markdown
            }
            for field, prop in spec.get("properties", {}).items()
        ]
        rows.append({"name": name, "description": (spec.get("description") or "").split("\n\n")[0], "fields": fields})
    return rows


def render_guide() -> str:
    """The authoring guide for educators: every collection and field, from the schema, and how-tos."""
    body = (
        environment()
        .get_template("authoring-guide.md.j2")
        .render(
            collections=[(row, sections.data_file_schema()["properties"][row.key]) for row in sections.registry()],
            models=guide_models(),
            units=list(UNITS),
        )
    )
    return _front_matter(
        "Authoring guide", "How to write and check the knowledge base: every field, with examples."
    ) + tidy(body)


def compile_templates() -> None:
    """Compile (or load from the bytecode cache) every template now, e.g. before forking workers."""
    env = environment()
    for name in env.list_templates():
        env.get_template(name)


def _nav_title(title: str) -> Markup:
    """A title escaped once, as Markup: Material prints nav titles as they are in some places and
    through `| e` in others (the footer's aria-label), which leaves Markup alone instead of
    escaping it a second time."""
    return Markup(html.escape(title, quote=True))


def navigation(reviews: list[KnowledgeBase]) -> list:
    """The MkDocs `nav` for the generated pages, with their titles (escaped: Material prints them as is),
    so every page is named right even when a `--dirty` rebuild has not read it."""
    nav: list = [{"Home": "index.md"}]
    for kb in reviews:
        prefix = kb.review.id

        def entry(page: str) -> dict[str, str]:
            return {_nav_title(kb.page_titles[page]): f"{prefix}/{page}"}  # noqa: B023

        def listed(heading: str, kb: KnowledgeBase = kb) -> list:
            """The review's pages of sections.PAGES listed under `heading`."""
            return [
                entry(p.path) for p in sections.PAGES if p.nav == heading and (p.needs is None or kb.items(p.needs))
            ]

        entries: list = [entry("index.md")]
        for row in sections.with_pages():
            if row.nav is None or row.overview is None:
                continue
            if row.key == "open_questions":
                entries.append({"Comparison": f"{prefix}/comparison.md"})
            items = sorted(kb.items(row.key), key=lambda i: row.order(i, kb))  # noqa: B023
            listing: list = [entry(row.overview)]
            group_of = (lambda i: row.nav_group(i, kb)) if row.nav_group else (lambda _: None)  # noqa: B023
            for group, members in itertools.groupby(items, key=group_of):
                pages = [entry(row.page_of(i.id)) for i in members]
                listing += [{_nav_title(group): pages}] if group is not None else pages
            entries.append({row.nav: listing + listed(row.nav)})
        entries += [{"References": f"{prefix}/references.md"}, {"Glossary": f"{prefix}/glossary.md"}]
        headings = {row.nav for row in sections.with_pages()}
        for heading in dict.fromkeys(p.nav for p in sections.PAGES if p.nav is not None and p.nav not in headings):
            pages = listed(heading)
            if pages:
                entries.append({heading: pages})
        nav.append({_nav_title(kb.review.title): entries})
    return nav
