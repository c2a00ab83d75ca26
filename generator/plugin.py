"""MkDocs glue: connects build events to the plain functions in this package, nothing more.

on_config loads and validates data/ (so a bad edit stops the build before site/ is touched),
on_files adds the generated pages in memory (docs_dir is never written), on_page_markdown adds
the glossary's abbreviations, on_serve watches data/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .build import Build, load_build


class KnowledgeBaseConfig(Config):
    data_dir = config_options.Type(str, default="data")


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self.build: Build | None = None
        self.data_dir = Path("data")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.data_dir = root / self.config.data_dir
        try:
            self.build = load_build(self.data_dir, root)
        except Exception as err:  # DataError: shown as the build's error, file:LINE lines intact
            raise PluginError("\n" + str(err)) from err
        config.copyright = self.build.footer_html
        # Small accessibility fixes to Material's partials (see theme/partials/*.html).
        theme_dir = str(Path(__file__).parent / "theme")
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(0, theme_dir)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None
        for path, content in self.build.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path} has the path of a generated page; rename or move the hand-written file"
                )
            files.append(File.generated(config, path, content=content))
        if config.nav is None:
            handwritten = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
            config.nav = self.build.nav + handwritten
        return files

    def on_page_markdown(self, markdown: str, **kwargs: Any) -> str:
        assert self.build is not None
        return markdown + self.build.abbreviations

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.data_dir))
        server.watch(str(Path(__file__).parent / "templates"))
        return server
