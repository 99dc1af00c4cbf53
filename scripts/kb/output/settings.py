"""The build's settings, whatever the engine: the knowledge base, our search, preview images.

An engine adapter reads them from its own configuration (the MkDocs plugin from `plugins: - kb:`)
and the environment variables below override that configuration, value by value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

ENVIRONMENT = {"KB_DIR": "kb_dir", "KB_SEARCH": "search", "KB_OG_IMAGES": "previews"}
"""Environment variable: the setting it overrides."""
_TRUE = ("on", "1", "true", "yes")
_FALSE = ("off", "0", "false", "no")


@dataclass(frozen=True)
class BuildSettings:
    """What a build makes of a knowledge base."""

    kb_dir: Path
    """The folder holding claims/, glossary/, sources/, topics.yaml and speakers.yaml."""
    search: bool = True
    """Our Japanese search (scripts/kb/search/); off: the engine's own search."""
    previews: bool = True
    """A link-preview image per claim (needs a CJK font); off: every page shares none."""


def switch(name: str, value: str) -> tuple[bool | None, str | None]:
    """An on/off environment value, or the message saying what was expected."""
    word = value.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE, None
    return None, (f"environment variable {name}={value!r}: expected one of "
                  f"{', '.join(_TRUE)} or {', '.join(_FALSE)}; found {value!r}")


def with_environment(settings: BuildSettings, environ: Mapping[str, str]) -> tuple[BuildSettings, list[str]]:
    """`settings` with every override the environment sets, and a message for each value it cannot use."""
    changes: dict[str, object] = {}
    errors = []
    for name, field in ENVIRONMENT.items():
        value = environ.get(name)
        if not value:
            continue
        if field == "kb_dir":
            changes[field] = Path(value)
            continue
        on, error = switch(name, value)
        if error:
            errors.append(error)
        else:
            changes[field] = on
    return replace(settings, **changes), errors  # type: ignore[arg-type]
