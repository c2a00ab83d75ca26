"""MkDocs glue: connects build events to the plain functions in this package, nothing more.

on_config loads and validates data/ (so a bad edit stops the build before anything is written) and
points MkDocs at a staging folder beside site_dir, swapped in only after the whole build succeeded
(on_shutdown); on_files adds the generated pages in memory (docs_dir is never written), the
glossary goes to the `abbr` extension (on_page_markdown adds a review's own definitions where they
differ), on_page_content checks the HTML of each generated page, on_serve watches data/.

Under `mkdocs serve` a mistake in the data never stops the preview: the last good build keeps
being served, with the problems shown in a banner on every page until the next good build. Under
`--dirty` (make serve) a generated page whose Markdown did not change since the last build is not
rebuilt, which keeps the preview of a one-figure edit fast.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import markup, output, sections
from .build import GUIDE, Build, collisions, load_build
from .loader import shown_path
from .problems import DataError, Problem
from .render import ASSET_DIR, ASSET_FILES, ASSETS, EXTENSIONS

log = get_plugin_logger(__name__)
Hook = TypeVar("Hook", bound=Callable[..., Any])


def _timed(hook: Hook) -> Hook:
    """Adds the hook's time to the plugin's total, reported after each build."""

    @functools.wraps(hook)
    def timed(self: KnowledgeBasePlugin, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return hook(self, *args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start

    return timed  # type: ignore[return-value]


class GeneratedFile(File):
    """A page made from data/: "modified" (to a --dirty build) only when its Markdown changed."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Keeps the theme's compiled templates between rebuilds of one `mkdocs serve`."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


#: For a build with Material's offline plugin: runs the search worker on file:// pages (see the file),
#: in place of the copy of iframe-worker that plugin would load from unpkg.com.
WORKER_SHIM = "iframe-worker.js"


class KnowledgeBaseConfig(Config):
    data_dir = config_options.Dir(exists=True, default="data")
    #: folder under the site's docs where the generated pages go ("" = the site's root)
    prefix = config_options.Type(str, default="")
    #: folder of the reviews' texts (`source.text` of each review); evidence quotes are checked
    #: against them where they are present
    sources = config_options.Type(str, default="")
    #: processes that load and render reviews side by side: 0 = one per CPU, 1 = none
    workers = config_options.Type(int, default=0)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self.build: Build | None = None
        self.data_dir = Path("data")
        self.dirty = False
        self.previous: dict[str, str] = {}  # page -> digest of its Markdown at the last build
        self.bytecode = _MemoryBytecodeCache()
        self.seconds = 0.0  # time spent in this plugin during the current build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this instance across the rebuilds of `serve`.
        self.dirty = dirty
        self.serving = command == "serve"

    @_timed
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.seconds = 0.0
        root = Path(config.config_file_path).parent
        self.root = root
        self.data_dir = Path(self.config.data_dir)
        self.prefix = self.config.prefix.strip("/") + "/" if self.config.prefix.strip("/") else ""
        self.problems: list[Problem] = []
        self.nav_added = False
        try:
            sources = root / self.config.sources if self.config.sources else None
            build = self._mounted(load_build(self.data_dir, root, self.config.workers, sources), config)
            clashes = collisions(build, Path(config.docs_dir), root)
            if clashes:
                raise DataError(clashes)
        except DataError as err:  # shown as the build's error, file:LINE lines intact
            if not getattr(self, "serving", False):
                raise PluginError("\n" + str(err)) from err
            # The preview keeps serving the last good build and shows the problems on every page.
            self.problems = err.problems
            for line in err.report().splitlines():
                log.error(line)
            build = self.build if self.build is not None else _empty_build()
        self.build = build
        for warning in build.warnings:  # strict mode turns these into a failed build
            log.warning(str(warning))
        if not getattr(self, "serving", False):
            self._stage(config)
        for extension in EXTENSIONS:  # as Material's tags plugin adds attr_list
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.mdx_configs.setdefault("abbr", {})["glossary"] = self.build.glossary
        for name in ASSET_FILES:
            url = f"{ASSET_DIR}/{name}"
            listed = config.extra_css if name.endswith(".css") else config.extra_javascript
            if url not in [str(x) for x in listed]:
                listed.append(url)
        self.offline = _offline(config)
        if self.offline:
            # Material's offline plugin adds its Web Worker shim from unpkg.com (before this plugin
            # runs, or not at all once a polyfill named iframe-worker is listed): use ours instead.
            local = f"{ASSET_DIR}/{WORKER_SHIM}"
            polyfills = [str(p) for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
            config.extra["polyfills"] = [local, *polyfills]
            # Instant navigation cannot work from file://, and Material then completes its document$
            # before the page has loaded, so no script subscribed to it (quizzes, tables) would start.
            features = config.theme.get("features") or []
            config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
        # Small accessibility fixes to Material's partials (see theme/partials/*.html).
        theme_dir = str(Path(__file__).parent / "theme")
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(0, theme_dir)
        return config

    def _mounted(self, build: Build, config: MkDocsConfig) -> Build:
        """The build under the configured prefix; without the home page where the site has its own."""
        pages, nav = dict(build.pages), list(build.nav)
        own_home = not self.prefix and (Path(config.docs_dir) / "index.md").is_file()
        if own_home:
            pages.pop("index.md")
            nav = [entry for entry in nav if entry != {"Home": "index.md"}]
        downloads = dict(build.downloads)
        if self.prefix:
            pages = {self.prefix + path: text for path, text in pages.items()}
            downloads = {self.prefix + path: data for path, data in downloads.items()}
            nav = _prefixed(nav, self.prefix)
        return dataclasses.replace(build, pages=pages, nav=nav, downloads=downloads)

    def review_of(self, src_uri: str) -> str:
        """The review a page belongs to ("" for pages outside every review)."""
        return src_uri.removeprefix(self.prefix).split("/", 1)[0]

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a new folder beside site_dir; on_shutdown swaps it in if the build succeeded."""
        self.target = Path(config.site_dir)
        try:
            output.check_target(self.target)
        except output.OutputError as err:
            raise PluginError(str(err)) from err
        self.staging = output.staging(self.target)
        if self.dirty and self.target.is_dir():  # a --dirty build rewrites only what changed
            shutil.copytree(self.target, self.staging, dirs_exist_ok=True, symlinks=True)
        self.finished = False
        config.site_dir = str(self.staging)

    @_timed
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None
        digests = {}
        for path, content in self.build.pages.items():
            if files.get_file_from_path(path) is not None:  # collisions() reports these first
                raise PluginError(
                    f"{config.docs_dir}/{path} has the path of a generated page; rename or move the hand-written file"
                )
            file = GeneratedFile.generated(config, path, content=content)
            digests[path] = hashlib.sha1(content.encode()).hexdigest()
            file.changed = not self.dirty or self.previous.get(path) != digests[path]
            files.append(file)
        for path, content in self.build.downloads.items():  # the references for reference managers
            if files.get_file_from_path(path) is None:
                files.append(GeneratedFile.generated(config, path, content=content))
        self.previous = digests
        for name in ASSET_FILES + ((WORKER_SHIM,) if getattr(self, "offline", False) else ()):
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name)))
        handwritten = sorted(
            (f for f in files.documentation_pages() if f.generated_by is None), key=lambda f: f.src_uri
        )
        titled = [{_title_of(f): f.src_uri} for f in handwritten]  # a --dirty rebuild does not read them
        if config.nav is None:
            home = [entry for entry in titled if "index.md" in entry.values()]
            config.nav = home + self.build.nav + [entry for entry in titled if entry not in home]
        elif not getattr(self, "nav_added", False):  # a site's own nav, with the generated pages after it
            config.nav = list(config.nav) + self.build.nav
            self.nav_added = True
        # What every page shows besides its own content: the navigation (titles, order, new pages),
        # the glossary behind every tooltip, the footers, the problems banner. When any of it changed,
        # a --dirty rebuild writes every page again, so the preview equals a full build.
        shared = json.dumps(
            [config.nav, self.build.glossary, self.build.overrides, self.build.footers, list(map(str, self.problems))],
            sort_keys=True,
            default=str,
        )
        digest = hashlib.sha1(shared.encode()).hexdigest()
        if self.dirty and digest != getattr(self, "shared", None):
            for file in files.documentation_pages():
                if isinstance(file, GeneratedFile):
                    file.changed = True
                else:
                    file.is_modified = lambda: True  # type: ignore[method-assign]
        self.shared = digest
        return files

    @_timed
    def on_nav(self, nav: Any, config: MkDocsConfig, files: Files) -> Any:
        # The pages for educators are listed after each review's learning path, but are not on it:
        # the Previous / Next links of the footer step over them, and they have none of their own.
        aside = {
            f"{self.prefix}{kb.review.id}/{page.path}"
            for kb in (self.build.reviews if self.build else [])
            for page in sections.PAGES
            if page.nav == sections.EDUCATORS
        } | {self.prefix + GUIDE}
        path = [page for page in nav.pages if page.file.src_uri not in aside]
        for page in nav.pages:
            page.previous_page = page.next_page = None
        for before, page, after in zip([None, *path[:-1]], path, [*path[1:], None], strict=True):
            page.previous_page, page.next_page = before, after
        return nav

    @_timed
    def on_env(self, env: jinja2.Environment, **kwargs: Any) -> jinja2.Environment:
        env.bytecode_cache = self.bytecode
        return env

    @_timed
    def on_page_markdown(self, markdown: str, page: Any, **kwargs: Any) -> str:
        assert self.build is not None
        if isinstance(page.file, GeneratedFile):  # Material prints these as they are: escape them once
            for key in ("title", "description"):
                if isinstance(page.meta.get(key), str) and not isinstance(page.meta[key], Markup):
                    page.meta[key] = Markup(html.escape(page.meta[key], quote=True))
        return markdown + self.build.overrides.get(self.review_of(page.file.src_uri), "")

    @_timed
    def on_page_content(self, html_text: str, page: Any, **kwargs: Any) -> str:
        # The last line of defence: whatever the data held, a generated page carries no script,
        # no event handler, no link with a script scheme and nothing loaded from another host.
        if isinstance(page.file, GeneratedFile):
            found = markup.unsafe_html(html_text)
            if found:
                raise PluginError(
                    f"{page.file.src_uri}: the generated HTML contains {found[0]}; the data check should have "
                    "caught this: please report it as a bug, with the data that caused it"
                )
        return html_text

    @_timed
    def on_page_context(self, context: dict, page: Any, config: MkDocsConfig, **kwargs: Any) -> dict:
        # Each page's footer names its own review's source (every review's on pages outside them),
        # so a site of many reviews does not repeat every attribution on every page.
        assert self.build is not None
        context["kb_footer"] = self.build.footers.get(self.review_of(page.file.src_uri), self.build.footers[""])
        return context

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        if self.build is not None:  # the theme's own pages (404): every review's attribution
            context["kb_footer"] = self.build.footers[""]
        return context

    @_timed
    def on_post_page(self, output: str, page: Any, config: MkDocsConfig) -> str:
        assert self.build is not None
        if self.problems:
            output = _BODY.sub(lambda m: m.group(0) + _banner(self.problems), output, count=1)
        return output

    def on_build_error(self, error: Exception) -> None:
        staging = getattr(self, "staging", None)
        if staging is not None:
            output.discard(staging)
            self.staging = None

    def on_shutdown(self) -> None:
        staging = getattr(self, "staging", None)
        if staging is not None and getattr(self, "finished", False):
            output.publish(staging, self.target)
            log.info(f"site written to {self.target}")
        elif staging is not None:
            output.discard(staging)
        self.staging = None

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.build is not None
        self.finished = True  # MkDocs may still fail the build (strict mode), which calls on_build_error
        for kb in self.build.reviews:
            if kb.review.source.text and not kb.source_checked:
                log.info(
                    f"evidence quotes of `{kb.review.id}` not checked: {kb.review.source.text} is not in "
                    f"{self.config.sources or 'the `sources` folder (not set)'}"
                )
        reviews, workers = len(self.build.reviews), self.build.workers
        log.info(
            f"{len(self.build.pages)} pages generated from {shown_path(self.data_dir, self.root)}/ "
            f"({reviews} review{'s' if reviews != 1 else ''}, {workers} process{'es' if workers != 1 else ''}) "
            f"in {self.seconds:.2f} s"
        )

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.data_dir))
        server.watch(str(Path(__file__).parent / "templates"))
        return server


_BODY = re.compile(r"<body\b[^>]*>")


def _offline(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on in this build (a copy to open from file://)."""
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(getattr(plugin, "config", {}).get("enabled", True))


def _banner(problems: list[Problem]) -> str:
    """The preview's notice of problems in the data, escaped, first thing on every page."""
    count = len(problems)
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in sorted(problems))
    return (
        '<div class="kb-problems" role="alert"><p><strong>'
        f"{count} problem{'s' if count != 1 else ''} in the knowledge base.</strong> "
        "This preview shows the last good build; fix the data and it updates by itself.</p>"
        f"<ul>{items}</ul></div>"
    )


def _empty_build() -> Build:
    """What the preview serves when the data has never built: a page that says so."""
    home = (
        '---\ntitle: "The knowledge base has problems"\n---\n\n# The knowledge base has problems\n\n'
        "The data could not be built yet. The problems are listed above; this page updates by itself "
        "when they are fixed.\n"
    )
    return Build([], {"index.md": home}, [{"Home": "index.md"}], {}, {}, {"": ""})


def _title_of(file: File) -> str:
    """A hand-written page's title as MkDocs finds it: `title:` in its front matter, else its first
    `# ` heading, else its file name."""
    try:
        text = Path(file.abs_src_path or "").read_text(encoding="utf-8-sig")
    except OSError:
        text = ""
    if text.startswith("---"):
        front = re.match(r"---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", text, flags=re.S)
        title = re.search(r"^title:\s*(.+?)\s*$", front.group(1), flags=re.M) if front else None
        if title:
            return title.group(1).strip("'\"")
        text = text[front.end() :] if front else text
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", text, flags=re.M)
    return heading.group(1) if heading else Path(file.src_uri).stem.replace("-", " ").capitalize()


def _prefixed(nav: list, prefix: str) -> list:
    """Navigation entries with every page path under `prefix`."""
    out: list = []
    for entry in nav:
        if isinstance(entry, str):
            out.append(prefix + entry)
        elif isinstance(entry, dict):
            out.append({k: (prefix + v if isinstance(v, str) else _prefixed(v, prefix)) for k, v in entry.items()})
        else:
            out.append(entry)
    return out
