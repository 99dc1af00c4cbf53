"""The static-site generators `kb build --engine` runs, each with what it needs to build the knowledge base.

- `mkdocs` (default): MkDocs 1.6 with the `kb` plugin, in this process.
- `properdocs`: ProperDocs, the maintained continuation of MkDocs 1.x, with the same plugin: its
  `properdocs.replacement` makes every `mkdocs.*` import (ours and Material's) its own.
- `zensical`: Zensical runs no MkDocs plugin, so `kb render` writes the pages (with their
  front matter) into a folder of their own, Zensical builds that folder in a child process, and
  `kb postbuild` adds what no engine makes. Its configuration is mkdocs.yml without the `kb`
  plugin and without `search: lang` (which Zensical rejects); the search is Zensical's own.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..checks.check import CheckedKnowledgeBase
from ..output.docsfolder import write_docs_folder
from ..output.generated import generated_site, preview_cache
from ..output.postbuild import write_exports, write_generated_files
from ..output.sitemap import complete_sitemap, site_date
from ..site.ogimage import CardCache, FontNotFound
from .pipeline import load_and_check
from .project import (
    Project,
    ProjectError,
    engine_config,
    load_project,
    nav_titles,
    plugin_name,
    show_engine_log,
)

ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
"""Engine name on the command line: its name in messages."""


def build_site(engine: str, config_file: Path, kb: Path, staging: Path) -> bool:
    """Build the site of `kb` with `engine` into `staging`; False (after printing why) when it failed."""
    if engine == "zensical":
        return _zensical_build(config_file, kb, staging)
    if engine == "properdocs":
        try:
            import properdocs.replacement  # noqa: F401  (mkdocs.* is properdocs.* from here on)
        except ImportError:
            print("ProperDocs is not installed: run `.venv/bin/pip install -e '.[engines]'`", file=sys.stderr)
            return False
    return _mkdocs_family_build(config_file, kb, staging)


def _mkdocs_family_build(config_file: Path, kb: Path, staging: Path) -> bool:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import plugin_of

    show_engine_log()
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True)
        plugin_of(config).use_knowledge_base(kb)
        build(config)
    except (MkDocsException, SystemExit) as error:
        message = str(error)
        if message:
            print(message, file=sys.stderr)
        return False
    return True


def _zensical_build(config_file: Path, kb: Path, staging: Path) -> bool:
    if importlib.util.find_spec("zensical") is None:
        print("Zensical is not installed: run `.venv/bin/pip install -e '.[engines]'`", file=sys.stderr)
        return False
    checked, problems = load_and_check(kb)
    if checked is None:  # `kb build` checked a moment ago: only a file changed since then gets here
        print(f"{len(problems)} problem(s) in the knowledge base", file=sys.stderr)
        return False
    try:
        project = load_project(config_file, kb)
    except ProjectError as error:
        print(str(error), file=sys.stderr)
        return False
    # Zensical's search box does not speak to Material's search worker, so ours cannot answer it: its own
    # search indexes the pages (README, Engines, has its score).
    project = replace(project, settings=replace(project.settings, search=False))
    with tempfile.TemporaryDirectory(prefix="kb-render-") as folder:
        rendered = Path(folder)  # Zensical builds only into a folder inside its project folder
        render_project(project, checked, rendered)
        write_yaml(rendered / "mkdocs.yml", zensical_config(project, rendered / "site"))
        done = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(rendered / "mkdocs.yml")],
                              cwd=rendered, check=False)
        if done.returncode != 0:
            return False
        for built in sorted((rendered / "site").iterdir()):
            shutil.move(built, staging / built.name)
    postbuild_site(project, checked, staging)
    return True


def zensical_config(project: Project, site_dir: Path) -> dict[str, Any]:
    """mkdocs.yml for Zensical: no `kb` plugin (the pages are rendered) and Material's search without `lang`."""
    config = engine_config(project, site_dir)
    config["plugins"] = ["search" if plugin_name(entry) == "search" else entry for entry in config["plugins"]]
    return config


def render_project(project: Project, checked: CheckedKnowledgeBase, out: Path) -> None:
    """`kb render`: the docs folder, the overrides and a mkdocs.yml building them, written into `out`."""
    settings = project.settings
    generated = generated_site(checked, project.site, project.cache_root, _cards(project, settings.previews))
    write_docs_folder(generated, project.docs_dir, project.custom_dir, out, settings.search, nav_titles(project))
    write_yaml(out / "mkdocs.yml", engine_config(project, out / "site"))


RENDERED_NAMES = {"docs", "overrides", "mkdocs.yml", "site", ".cache"}
"""What `kb render` writes into its folder, and what an engine adds there."""


def render_out_refusal(out: Path, project: Project) -> str | None:
    """Why `kb render` may not write into `out` (it replaces `out/docs` and `out/overrides` whole), or None."""
    sources = [project.docs_dir, project.settings.kb_dir, project.config_file.parent]
    sources += [project.custom_dir] if project.custom_dir is not None else []
    for source in sources:
        if out.is_relative_to(source.resolve()):
            return (f"expected a folder outside the project, its docs, templates and knowledge base; "
                    f"found it inside {source.resolve()}")
    others = sorted(entry.name for entry in out.iterdir() if entry.name not in RENDERED_NAMES) if out.is_dir() else []
    if others:
        return (f"expected a new or empty folder, or an earlier `kb render` output; found other files in it "
                f"({', '.join(others[:3])}{', …' if len(others) > 3 else ''})")
    return None


def postbuild_site(project: Project, checked: CheckedKnowledgeBase, site: Path) -> None:
    """`kb postbuild`: the exports, our search index, the redirect pages, preview images and the sitemap's
    dates, written into `site`."""
    settings = project.settings
    generated = generated_site(checked, project.site, project.cache_root, _cards(project, settings.previews),
                               with_pages=False)
    write_generated_files(generated, site)
    write_exports(checked, site, settings.search)
    complete_sitemap(site, site_date(settings.kb_dir))


def _cards(project: Project, previews: bool) -> CardCache | None:
    try:
        return preview_cache(project.cache_root, previews)
    except FontNotFound as error:
        raise ProjectError(str(error)) from None


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    """`data` as a YAML file (plain YAML: an engine need not know MkDocs' tags)."""
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
