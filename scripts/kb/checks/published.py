"""The registry of published claim ids (`published-ids.txt`): ids once public must keep working.

One entry per line, sorted, `#` starts a comment line:

    agi-more-than-a-decade-away
    old-claim-id -> its-new-id

A plain entry is a claim id that was published. `old -> new` records that a published id was
retired by a rename; the claim now holds it in `former_ids`, which makes a redirect page. The
check fails when a published id disappears without a redirect, or when a retired id is taken by a
claim again (ids are never reused). A knowledge base without the file has published nothing yet.
`kb publish` rewrites the file from the current claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..records.inputs import KnowledgeBaseFolder, read_text
from ..records.knowledge import KnowledgeBase
from ..records.layout import PUBLISHED_IDS_FILE
from ..records.model import ID_PATTERN
from ..records.problems import Location, Problems
from ..records.yamlfile import YamlProblem, problem_from

REGISTRY_FILE = PUBLISHED_IDS_FILE
HEADER = """\
# Claim ids that have been published: each keeps working forever (claims/<id>/).
# Written by `kb publish` (make publish-ids); one entry per line, sorted.
# `old -> new` marks an id retired by a rename: the claim `new` keeps `old` in former_ids.
"""
_ID = ID_PATTERN.strip("^$")
_ENTRY = re.compile(rf"^(?P<id>{_ID})(?:\s+->\s+(?P<renamed_to>{_ID}))?$")


@dataclass(frozen=True)
class Entry:
    """One published id, where it is in the registry, and the claim it was renamed to, if any."""

    id: str
    line: int
    renamed_to: str | None = None


def registry_path(root: Path) -> Path:
    """Where the registry of a knowledge base lives."""
    return root / REGISTRY_FILE


def read_registry(root: Path, problems: Problems) -> list[Entry]:
    """The registry's entries (none when the file is absent), reporting malformed lines."""
    files = KnowledgeBaseFolder(root)
    refusal = files.refusal(REGISTRY_FILE)
    if refusal:
        problems.add(Location(REGISTRY_FILE), refusal)
        return []
    if not registry_path(root).is_file():
        return []
    try:
        text = read_text(files, REGISTRY_FILE)  # as records are read: a BOM and CRLF are fine, bad bytes located
    except YamlProblem as error:
        problems.extend([problem_from(error, REGISTRY_FILE)])
        return []
    return parse_registry(text, problems)


def parse_registry(text: str, problems: Problems) -> list[Entry]:
    """Entries of the registry text; each malformed, repeated or out-of-order line is a problem."""
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ENTRY.match(line)
        if match is None:
            problems.add(Location(REGISTRY_FILE, number), "malformed entry; expected a claim id or "
                         f"'old-id -> new-id' (lowercase ASCII kebab-case); found {line!r}")
            continue
        entry = Entry(match["id"], number, match["renamed_to"])
        if entry.id in first_line:
            problems.add(Location(REGISTRY_FILE, number), f"published id '{entry.id}' listed twice; "
                         f"expected each id once; found it again (first at {REGISTRY_FILE}:{first_line[entry.id]})")
            continue
        if entries and entry.id < entries[-1].id:
            problems.add(Location(REGISTRY_FILE, number), f"entries out of order; expected sorted ids "
                         f"(run `kb publish` to rewrite the file); found '{entry.id}' after '{entries[-1].id}'")
        first_line[entry.id] = number
        entries.append(entry)
    return entries


def redirect_targets(kb: KnowledgeBase) -> dict[str, str]:
    """Every former id and the claim that now answers for it."""
    return {old: claim.id for claim in kb.claims.values() for old in claim.former_ids}


def check_published(kb: KnowledgeBase, problems: Problems) -> None:
    """Every published id is a live claim or redirects to one; no retired id is taken again.

    With claims that failed to load (already reported), the registry is still read and checked,
    but a listed id is not called missing: one of those claims may hold it or its redirect."""
    redirects = redirect_targets(kb)
    complete = (kb.root / "claims").is_dir() and not any(kind == "claims" for kind, _ in kb.unloaded)
    for entry in read_registry(kb.root, problems):
        where = Location(REGISTRY_FILE, entry.line)
        if entry.renamed_to is not None and entry.id in kb.claims:
            problems.add(
                kb.document("claims", entry.id).location(("id",)),
                f"claim '{entry.id}': id already used by a published claim that was renamed to "
                f"'{entry.renamed_to}' ({where}); expected a new id (ids are never reused); found '{entry.id}'",
            )
        elif complete and entry.id not in kb.claims and entry.id not in redirects:
            problems.add(
                where,
                f"published claim '{entry.id}' has disappeared without a redirect; expected "
                f"claims/{entry.id}.yaml or '{entry.id}' in the former_ids of the claim that replaced it; "
                f"found neither{problems.suggestion(entry.id, kb.claims)}",
            )


def unpublished_ids(kb: KnowledgeBase, entries: list[Entry]) -> list[str]:
    """Live claim ids the registry does not list yet."""
    listed = {entry.id for entry in entries}
    return sorted(set(kb.claims) - listed)


def registry_text(kb: KnowledgeBase, entries: list[Entry]) -> str:
    """The registry rewritten: every listed id kept, every live claim added, renames recorded."""
    redirects = redirect_targets(kb)
    ids = {entry.id for entry in entries} | set(kb.claims) | set(redirects)
    lines = []
    for claim_id in sorted(ids):
        if claim_id in redirects:
            lines.append(f"{claim_id} -> {redirects[claim_id]}")
        else:
            lines.append(claim_id)
    return HEADER + "".join(line + "\n" for line in lines)


def publish(kb: KnowledgeBase) -> list[str]:
    """Rewrite the registry so it lists every live claim; returns the ids added."""
    entries = read_registry(kb.root, Problems())
    added = unpublished_ids(kb, entries)
    registry_path(kb.root).write_text(registry_text(kb, entries), encoding="utf-8")
    return added
