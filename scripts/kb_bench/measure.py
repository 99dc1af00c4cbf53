"""Measuring inside a child process of the benchmark: clocks, per-stage stopwatches, peak memory, and
an MkDocs build as the `mkdocs` command runs it."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Clock:
    """Wall-clock and CPU seconds since it was made: on a shared machine CPU time is the steadier figure."""

    wall: float = field(default_factory=time.perf_counter)
    cpu: float = field(default_factory=time.process_time)

    def elapsed(self) -> tuple[float, float]:
        """(wall, cpu) seconds since the clock was made."""
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


@dataclass
class Stopwatch:
    """Wall-clock and CPU seconds spent in named parts of our code, accumulated across calls."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, timed under `name`."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            clock = Clock()
            try:
                return function(*args, **kwargs)
            finally:
                wall, cpu = clock.elapsed()
                self.wall[name] = self.wall.get(name, 0.0) + wall
                self.cpu[name] = self.cpu.get(name, 0.0) + cpu

        return timed


def peak_memory_mb() -> float:
    """Peak resident memory of this process or any child it waited for, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def quiet_mkdocs() -> None:
    """Only warnings and errors from MkDocs."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)


def run_mkdocs(config_file: Path, site: Path, before_build: Callable[[Any], None] | None = None) -> None:
    """`mkdocs build --strict` of `config_file` into `site`, as the `mkdocs` command runs it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site), strict=True)
    if before_build:
        before_build(config)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
