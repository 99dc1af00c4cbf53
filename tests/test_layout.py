"""The layout a newcomer reads: small modules, no import cycles, and a README Layout table that names
every folder and module of scripts/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

SCRIPTS = REPO / "scripts"
MODULES = sorted(p for p in SCRIPTS.rglob("*.py") if "egg-info" not in p.as_posix())
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(SCRIPTS).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(path): path for path in MODULES}


def imported_modules(path: Path) -> set[str]:
    """The modules of scripts/ that `path` imports, wherever in the module (imports only for type
    checking left out: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    checking_only = {id(node) for branch in ast.walk(tree) if isinstance(branch, ast.If)
                     and "TYPE_CHECKING" in ast.unparse(branch.test) for node in ast.walk(branch)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
            found.add(target or "")
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return {name for name in found if name in NAMES and name != module_name(path)}


def test_no_module_is_over_400_lines() -> None:
    long = {module_name(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_import_graph_has_no_cycles() -> None:
    graph = {name: imported_modules(path) for name, path in NAMES.items()}
    assert graph["kb.site.render"] >= {"kb.site.claimpage", "kb.site.urls"}, "the scan finds imports"
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append(trail[trail.index(other):] + [other])
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # A package's __init__ imported by its own modules is not a cycle of ours: they are all empty.
    assert [c for c in cycles if not any(NAMES[m].name == "__init__.py" for m in c)] == []


def test_the_readme_layout_table_names_every_folder_and_module() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = {row.group(1): row.group(2) for row in re.finditer(r"^\| `([^`]+)` \| (.*) \|$", layout, re.MULTILINE)}
    folders = sorted({p.parent.relative_to(REPO).as_posix() + "/" for p in MODULES})
    missing_folders = [f for f in folders if f not in rows and f != "scripts/"]
    assert missing_folders == []
    for path in MODULES:
        if path.name == "__init__.py":
            continue
        folder = path.parent.relative_to(REPO).as_posix() + "/"
        assert f"`{path.stem}`" in rows[folder], f"{path.relative_to(REPO)} is not named in its Layout row"
    listed = {folder: set(re.findall(r"`([a-z_]+)`", text)) for folder, text in rows.items() if folder in folders}
    for folder, names in listed.items():
        modules = {p.stem for p in (REPO / folder).glob("*.py")}
        others = {p.name for p in (REPO / folder).iterdir()}
        stale = {n for n in names if n not in modules and not any(o.startswith(n) for o in others)}
        assert stale == set(), f"{folder} row names what is not there"
