"""Knowledge base -> Markdown pages (a dict of path -> text) and the navigation that lists them.

Everything from YAML reaches a page through two doors: `prose()` for Markdown fields and the
environment's `finalize`, which escapes any other string, so a template cannot forget to escape.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import charts, decisions, fidelity, markup
from . import quiz as quizzes
from .knowledge import OVERVIEWS, SECTIONS, KnowledgeBase
from .schema import Value
from .values import format_p, format_value

Pages = dict[str, str]

#: Section titles in the navigation, in reading order, with the collection each lists.
NAV_SECTIONS: list[tuple[str, str]] = [
    ("Background", "topics"),
    ("Therapies", "therapies"),
    ("Pharmacology", "pharmacology"),
    ("Adverse reactions", "adverse_reactions"),
    ("Indications", "indications"),
    ("Trials", "trials"),
    ("Decision tables", "decision_tables"),
    ("Open questions", "open_questions"),
    ("Test yourself", "quizzes"),
]
PHASE_LABEL = {"preclinical": "Preclinical", "retrospective": "Retrospective", "not-stated": "Not stated"}
SETTING_LABEL = {
    "relapsed-refractory": "Relapsed/refractory",
    "mrd-positive": "MRD-positive",
    "frontline": "Frontline",
    "post-transplant": "Post-transplant",
    "other": "Other",
}


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(markup.escape_plain(value))


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs, as Python keeps .pyc files: only the first build after
    a template changes compiles it (Jinja checks the source's checksum). None where no private
    temporary folder can be made."""
    try:
        return FileSystemBytecodeCache(pattern="__kb_site_%s.cache")
    except (OSError, RuntimeError):
        return None


@functools.cache
def environment() -> Environment:
    """One Jinja environment per process: templates compile once (and recompile when edited)."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
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
    env.filters["setting"] = lambda s: SETTING_LABEL[s]
    env.tests["contains"] = lambda seq, item: item in seq
    env.filters["first_or_none"] = lambda seq: next(iter(seq), None)
    return env


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
    target = (f"{prefix}/{page}" if not page.startswith("/") else page[1:]).split("/")
    here = path.split("/")[:-1]
    common = 0
    while common < min(len(target), len(here)) and target[common] == here[common]:
        common += 1
    relative = "/".join([".."] * (len(here) - common) + target[common:])
    return relative + (f"#{anchor}" if anchor else "")


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

    def tables_about(self, page: str) -> list[tuple[str, str]]:
        """(title, href) of the decision tables that serve `page`."""
        found = []
        for table in self.kb.items("decision_tables"):
            if any(self.kb.targets[t].page == page for t in table.about if t in self.kb.targets):
                found.append((table.title, self.href(self.kb.page_of("decision_tables", table.id))))
        return sorted(found)

    def quizzes_testing(self, page: str) -> list[tuple[str, str]]:
        """(title, href) of the quiz modules that test `page`."""
        found = []
        for quiz in self.kb.items("quizzes"):
            if any(self.kb.targets[t].page == page for t in quiz.tests if t in self.kb.targets):
                found.append((quiz.title, self.href(self.kb.page_of("quizzes", quiz.id))))
        return found

    def decision_table(self, table: Any) -> Markup:
        """The table as HTML: rows carry data-rule and an anchor; the widget reads data-rules."""
        compiled = decisions.compile_table(table)
        outputs = {r.id: {k: self.text(v) if v != "-" else "—" for k, v in r.then.items()} for r in table.rules}
        data = decisions.to_json(compiled, outputs)
        rules_json = json_attribute(data)
        head = "".join(f'<th scope="col">{html.escape(i.label)}</th>' for i in table.inputs)
        head += "".join(f'<th scope="col" class="kb-dt__out">{html.escape(o.label)}</th>' for o in table.outputs)
        rows = []
        for n, rule in enumerate(table.rules):
            cells = "".join(
                f"<td>{html.escape(decisions.condition_text(rule, i, compiled, n))}</td>" for i in table.inputs
            )
            cells += "".join(
                f'<td class="kb-dt__out">{html.escape(outputs[rule.id][o.id])}</td>' for o in table.outputs
            )
            rows.append(
                f'<tr id="rule-{rule.id}" data-rule="{rule.id}"><th scope="row">'
                f'<a href="#why-{rule.id}" title="Why rule {n + 1}">{n + 1}</a></th>{cells}</tr>'
            )
        caption = f"{html.escape(table.title)}: {len(table.rules)} rules, hit policy {table.hit_policy}"
        return Markup(
            f'<div class="kb-dt" data-decision-table="{table.id}" data-rules="{rules_json}">'
            f'<div class="kb-dt__scroll"><table><caption>{caption}</caption>'
            f'<thead><tr><th scope="col">Rule</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            "</div>"
        )

    def quiz_question(self, q: Any, number: int, seed: int = 0) -> Markup:
        """A question as a fieldset; the answer key rides in data-key for the script to mark with."""
        data = json_attribute(quizzes.key(self.kb, q, self.text))
        name = f"q-{q.id}"
        if q.options:
            kind = "radio" if q.type == "single" else "checkbox"
            items = "".join(
                f'<li><label><input type="{kind}" name="{name}" value="{o.id}"> {html.escape(self.text(o.text))}'
                "</label></li>"
                for o in fidelity.option_order(q, seed)
            )
            body = f'<ul class="kb-quiz__options">{items}</ul>'
        else:
            unit = ""
            if q.answer is not None:
                unit = f" ({html.escape(quizzes.numeric_answer(self.kb, q.answer)[1])})"
            mode = ' inputmode="decimal"' if q.type == "numeric" else ""
            body = (
                f'<label class="kb-quiz__label" for="{name}">Your answer{unit}</label> '
                f'<input type="text" id="{name}" name="{name}" autocomplete="off" spellcheck="false"{mode}>'
            )
        shuffle = ' data-shuffle=""' if q.shuffle else ""
        return Markup(
            f'<div class="kb-quiz__q" data-question="{q.id}" data-version="{quizzes.version(self.kb, q)}"'
            f'{shuffle} data-key="{data}"><fieldset>'
            f'<legend><span class="kb-quiz__n">{number}.</span> {html.escape(self.text(q.prompt))}</legend>'
            f"{body}</fieldset></div>"
        )

    def quiz_answer(self, q: Any, seed: int = 0) -> str:
        """The right answer in words, for the collapsed answer and the educators' key."""
        if q.options:
            letters = "abcdefghijklmnopqrstuvwxyz"
            shown = fidelity.option_order(q, seed)
            right = [f"{letters[i]}) {self.text(o.text)}" for i, o in enumerate(shown) if o.correct]
            return "; ".join(right)
        if q.answer is not None:
            value, unit, low, high = quizzes.numeric_answer(self.kb, q.answer)
            shown = format_value(Value(value=value, unit=unit))
            return shown + (f" (accepted {low:g} to {high:g})" if low != high else "")
        return " or ".join(q.accept)

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


def tidy(markdown: str) -> str:
    """Blank lines around headings and after tables, at most one blank line in a row."""
    markdown = re.sub(r"\n(#{1,6} )", r"\n\n\1", markdown)
    markdown = re.sub(r"(^\|.*\|)\n(?=[^|\n])", r"\1\n\n", markdown, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def _front_matter(title: str, description: str, search: bool = True) -> str:
    # Material prints page.meta.title and the description unescaped: escape them here, once.
    meta: dict[str, Any] = {
        "title": html.escape(title, quote=True),
        "description": html.escape(description, quote=True),
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in sorted(meta.items())]  # JSON is YAML
    if not search:
        lines.append("search:\n  exclude: true")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _page_titles(kb: KnowledgeBase) -> dict[str, str]:
    titles = {page: title for page, title in OVERVIEWS.values()}
    for kind in SECTIONS:
        for item in kb.items(kind):
            titles[kb.page_of(kind, item.id)] = item.title
    titles["index.md"] = kb.review.title
    return titles


def render_review(kb: KnowledgeBase, env: Environment | None = None) -> Pages:
    """Every page of one review, keyed by path under the docs root."""
    env = env or environment()
    kb.page_titles = _page_titles(kb)
    pages: Pages = {}

    def emit(page: str, template: str, title: str, description: str, search: bool = True, **extra: Any) -> None:
        path = f"{kb.review.id}/{page}"
        ctx = PageContext(kb, path)
        body = env.get_template(template).render(
            kb=kb, c=ctx, page=page, title=title, review=kb.review, charts=charts, **extra
        )
        pages[path] = _front_matter(title, description, search) + tidy(body)

    review = kb.review
    emit("index.md", "review.md.j2", review.title, _description(review.summary, kb))
    for heading, kind in NAV_SECTIONS:
        section = SECTIONS[kind]
        items = sorted(kb.items(kind), key=lambda i: _order(kind, i))
        title = OVERVIEWS[section][1]
        emit(
            f"{section}/index.md",
            f"{section}-index.md.j2"
            if env.loader and f"{section}-index.md.j2" in env.list_templates()
            else "section-index.md.j2",
            title,
            f"{title}: {', '.join(i.title for i in items)}"[:160],
            items=items,
            kind=kind,
            heading=heading,
        )
        for item in items:
            emit(kb.page_of(kind, item.id), f"{section}.md.j2", item.title, _description(item.summary, kb), item=item)
    emit(
        "comparison.md",
        "comparison.md.j2",
        OVERVIEWS["comparison"][1],
        "Side-by-side comparison of " + ", ".join(t.title for t in kb.items("therapies")),
        therapies=sorted(kb.items("therapies"), key=lambda t: (t.role != "primary", t.title)),
    )
    emit(
        "references.md",
        "references.md.j2",
        OVERVIEWS["references"][1],
        f"The {len(kb.references)} references of the review, with the pages that cite each.",
    )
    if kb.items("quizzes"):
        emit(
            "quizzes/answer-key.md",
            "answer-key.md.j2",
            OVERVIEWS["answer-key"][1],
            "Every question of the self-assessment modules with its answer, explanation and sources.",
            search=False,
            quizzes=kb.items("quizzes"),
        )
    emit(
        "glossary.md",
        "glossary.md.j2",
        OVERVIEWS["glossary"][1],
        f"The {len(kb.glossary)} abbreviations used in this review, expanded.",
        terms=sorted(kb.glossary, key=lambda t: t.term.lower()),
    )
    return pages


_PHASE_ORDER = ["preclinical", "1", "1/2", "2", "2/3", "3", "retrospective", "not-stated"]
_SETTING_ORDER = list(SETTING_LABEL)


def _order(kind: str, item: Any) -> tuple:
    if kind == "trials":
        return (_SETTING_ORDER.index(item.setting), _PHASE_ORDER.index(item.phase), item.title.lower())
    if kind == "therapies":
        return (item.role != "primary", item.title.lower())
    if kind == "quizzes":
        return ()  # the order the educator wrote them in
    return (item.title.lower(),)


def render_home(reviews: list[KnowledgeBase]) -> str:
    """The site's home page, which lists the reviews."""
    home = (
        environment()
        .get_template("home.md.j2")
        .render(reviews=reviews, contexts={kb.review.id: PageContext(kb, "index.md") for kb in reviews})
    )
    description = "Study guides for trainees: " + "; ".join(kb.review.title for kb in reviews)
    return _front_matter("Home", description[:160]) + tidy(home)


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
        titles = _page_titles(kb)

        def entry(page: str) -> dict[str, str]:
            return {_nav_title(titles[page]): f"{prefix}/{page}"}  # noqa: B023

        entries: list = [entry("index.md")]
        for heading, kind in NAV_SECTIONS:
            section = SECTIONS[kind]
            items = sorted(kb.items(kind), key=lambda i: _order(kind, i))
            pages = [f"{section}/index.md"] + [kb.page_of(kind, i.id) for i in items]
            if kind == "quizzes" and items:
                pages.append("quizzes/answer-key.md")
            entries.append({heading: [entry(p) for p in pages]})
            if kind == "open_questions":
                entries.insert(-1, {"Comparison": f"{prefix}/comparison.md"})
        entries += [{"References": f"{prefix}/references.md"}, {"Glossary": f"{prefix}/glossary.md"}]
        nav.append({_nav_title(kb.review.title): entries})
    return nav
