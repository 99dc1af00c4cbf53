"""The benchmark's baseline: a plain Material build of the pages our build dumped, with the same theme,
Markdown extensions and navigation but none of our hooks or plugins, Material's search indexing timed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .measure import Clock, Stopwatch, peak_memory_mb, quiet_mkdocs, run_mkdocs

THEME_STRINGS = "theme-strings.json"
"""Beside the baseline's configuration: the words and edition our theme overrides print (the string
catalogue's), written by the parent so that the baseline imports none of our code."""


def theme_strings() -> str:
    """The overrides' words and edition as JSON: the Japanese edition's `edition.page_theme`."""
    from kb.site.edition import page_theme
    from kb.site.urls import HOME_PAGE

    return json.dumps(page_theme(HOME_PAGE), ensure_ascii=False)


def read_theme_strings(folder: Path) -> dict[str, Any]:
    """The overrides' words and edition written by `theme_strings` into `folder`."""
    data: dict[str, Any] = json.loads((folder / THEME_STRINGS).read_text(encoding="utf-8"))
    return data


def theme_on_env(data: dict[str, Any]) -> Callable[..., Any]:
    """An `on_env` event handler handing the theme overrides the Japanese edition's words and edition as
    `config.extra.kb_theme` (what they print on a page without its own), as our glue's `on_env` does.
    Used in-process (`give_theme_strings`) and as the only hook of a plain `mkdocs serve` (`THEME_HOOK`)."""

    def on_env(env: Any, config: Any, files: Any) -> Any:
        config.extra["kb_theme"] = data
        return env

    return on_env


THEME_HOOK = """from pathlib import Path
from kb_bench.baseline import read_theme_strings, theme_on_env
on_env = theme_on_env(read_theme_strings(Path(__file__).parent))
"""
"""A hooks file for a plain MkDocs run in another process: `theme_on_env` over the strings beside it."""


def give_theme_strings(plugins: Any, data: dict[str, Any]) -> None:
    """Register `theme_on_env(data)` with a loaded configuration's plugins."""
    on_env = theme_on_env(data)
    plugins.events["env"].append(on_env)
    plugins._event_origins[on_env] = "kb_bench.baseline"


def baseline_config(config_file: Path, docs: Path) -> dict[str, Any]:
    """Our MkDocs configuration without our hooks or plugins, reading the dumped pages."""
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as stream:
        config: dict[str, Any] = yaml_load(stream)
    config.pop("hooks", None)
    config["docs_dir"] = str(docs.resolve())
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((config_file.parent / theme["custom_dir"]).resolve())
    plugins = [p for p in config.get("plugins", []) if not _is_our_plugin(p)]
    if not any(_plugin_name(p) == "search" for p in plugins):
        plugins.append({"search": {"lang": "ja"}})
    config["plugins"] = plugins
    return config


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _is_our_plugin(entry: Any) -> bool:
    from importlib.metadata import entry_points

    found = entry_points(group="mkdocs.plugins", name=_plugin_name(entry))
    return any(point.value.split(".")[0] == "kb" for point in found)


def is_material_search(callback: Callable[..., Any]) -> bool:
    """Whether an MkDocs event handler belongs to Material's search plugin."""
    owner = getattr(callback, "__self__", None)
    return owner is not None and type(owner).__module__.startswith("material.plugins.search")


def time_material_search(plugins: Any, watch: Stopwatch) -> None:
    """Time every event handler of Material's search plugin under one name: its indexing."""
    for handlers in plugins.events.values():
        for position, handler in enumerate(handlers):
            if is_material_search(handler):
                timed = watch.wrap("material_search", handler)
                plugins._event_origins[timed] = plugins._event_origins.get(handler, "<unknown>")
                handlers[position] = timed


def measure_baseline(config_file: Path, site: Path) -> dict[str, Any]:
    """A plain Material build of the dumped pages, with the time of Material's search indexing
    (which our search index replaces in our build) split out."""
    quiet_mkdocs()
    watch = Stopwatch()
    clock = Clock()
    strings = read_theme_strings(config_file.parent)

    def prepare(config: Any) -> None:
        time_material_search(config.plugins, watch)
        give_theme_strings(config.plugins, strings)

    run_mkdocs(config_file, site, prepare)
    wall, cpu = clock.elapsed()
    return {"total": round(wall, 3), "cpu": {"total": round(cpu, 3)}, "peak_memory_mb": round(peak_memory_mb(), 1),
            "search_index": round(watch.wall.get("material_search", 0.0), 3),
            "search_index_cpu": round(watch.cpu.get("material_search", 0.0), 3)}
