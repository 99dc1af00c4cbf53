"""Load a knowledge-base folder (claims/, glossary/, sources/, topics.yaml, speakers.yaml, estimates.yaml).

Loading validates each file against its schema; cross-references are checked in `check`.
Nothing here writes anything.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .estimates import EstimateChart, load_estimates
from .inputs import KnowledgeBaseFolder, special_file_kind, unreadable
from .model import (
    HOME_FILE,
    ID_PATTERN,
    Claim,
    Home,
    IdentifiedRecord,
    Record,
    Source,
    Speaker,
    SpeakerRegistry,
    Term,
    Topic,
    TopicRegistry,
)
from .parsed import parsed_record, source_text
from .problems import Location, Problems, printable
from .schema_messages import id_hint
from .sourcetext import SourceText
from .yamlfile import YamlDocument, YamlProblem, problem_from

R = TypeVar("R", bound=Record)
I = TypeVar("I", bound=IdentifiedRecord)


@dataclass
class LoadedSource:
    """A source's metadata and its numbered text."""

    meta: Source
    text: SourceText


@dataclass
class KnowledgeBase:
    """Every record of a knowledge base, by id, with the documents they came from."""

    root: Path
    claims: dict[str, Claim] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    speakers: dict[str, Speaker] = field(default_factory=dict)
    sources: dict[str, LoadedSource] = field(default_factory=dict)
    estimates: tuple[EstimateChart, YamlDocument] | None = None
    """The chart of `estimates.yaml` and the document it came from; None without the file or when it failed."""
    home: Home | None = None
    """What the knowledge base is about (`home.yaml`), None without the file."""
    documents: dict[tuple[str, str], YamlDocument] = field(default_factory=dict)
    unloaded: set[tuple[str, str]] = field(default_factory=set)
    """(folder or registry, id) of records that exist but failed to load; id '*' for a whole registry."""
    invalid_claims: list[str] = field(default_factory=list)
    """Ids (file names) of claims that parsed but failed the schema: their documents are kept, so that
    the fields that are valid can still be checked in the same run."""
    files: KnowledgeBaseFolder = field(init=False, repr=False)
    """The folder the records are read from; every path is checked to resolve inside it."""

    def __post_init__(self) -> None:
        self.files = KnowledgeBaseFolder(self.root)

    def document(self, kind: str, record_id: str) -> YamlDocument:
        """The YAML document a record was read from."""
        return self.documents[(kind, record_id)]

    def failed_to_load(self, kind: str, record_id: str) -> bool:
        """Whether `record_id` names a record that exists but could not be loaded (already reported)."""
        return (kind, record_id) in self.unloaded or (kind, "*") in self.unloaded


REQUIRED_FOLDERS = ("claims", "sources")
"""Record folders a knowledge base cannot do without; `glossary/` may be absent (no terms yet)."""
OTHER_FILES = {"sources": (".txt",)}
"""Files besides the records that a record folder holds: the transcripts next to the source records."""


def record_files(kb: KnowledgeBase, folder: str, problems: Problems) -> list[Path]:
    """The `*.yaml` files of `folder`, reporting every other entry: a record saved under another name
    would otherwise drop out of the site without a word. Hidden files and editor backups (`.x`,
    `x~`, `#x#`) are left alone. A folder that resolves outside the knowledge base or cannot be
    listed is reported once, and all its records count as failed to load."""
    directory = kb.root / folder
    entries = _folder_entries(kb, folder, problems)
    if entries is None:
        kb.unloaded.add((folder, "*"))
        return []
    if not directory.is_dir():
        if directory.exists() or os.path.islink(directory):
            problems.add(Location(folder), f"not a folder; expected the folder {folder}/ of records; found a file")
        elif folder in REQUIRED_FOLDERS:
            problems.add(Location(folder), f"folder not found; expected the folder {folder}/ in {kb.root}; found nothing")
        return []
    files = []
    for name, regular_file, link in entries:
        if name.startswith((".", "#")) or name.endswith("~"):
            continue
        path = directory / name
        problem = _entry_problem(kb, folder, path, regular_file, link)
        if problem:
            problems.add(Location(printable(f"{folder}/{name}")), problem)
        elif path.suffix == ".yaml":
            files.append(path)
    return files


def _entry_problem(kb: KnowledgeBase, folder: str, path: Path, regular_file: bool, link: bool) -> str | None:
    """What is wrong with the entry `path` of a record folder; None for a record file or a transcript."""
    refusal = kb.files.refusal(f"{folder}/{path.name}") if link else None
    if refusal:  # before anything follows the link: not even whether its target exists is told
        return refusal
    if path.suffix == ".yaml" and (regular_file or path.is_file()):
        return None
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return (f"record file has the wrong extension; expected '{printable(path.stem)}.yaml'; "
                f"found '{printable(path.name)}'")
    if path.is_dir():
        if path.suffix == ".yaml":
            return "record is a folder; expected a YAML file; found a folder"
        return f"folder inside {folder}/; expected only record files named <id>.yaml; found a folder"
    if not path.exists():
        return "broken link; expected a record file; found a link to nothing"
    if not path.is_file():
        return f"not a regular file; expected a text file; found {special_file_kind(path)}"
    if path.suffix not in OTHER_FILES.get(folder, ()):
        return f"not a record file; expected files named <id>.yaml in {folder}/; found '{printable(path.name)}'"
    return None


def _folder_entries(kb: KnowledgeBase, folder: str, problems: Problems) -> list[tuple[str, bool, bool]] | None:
    """(name, is a regular file, is a link) of each entry of `folder` by name; [] when it is no folder;
    None, reported, when it resolves outside the knowledge base or cannot be listed."""
    refusal = kb.files.refusal(folder)
    if refusal:
        problems.add(Location(folder), refusal)
        return None
    if not (kb.root / folder).is_dir():
        return []
    try:
        with os.scandir(kb.root / folder) as entries:
            # By name: the order of sorted paths within one folder, without comparing Path objects.
            return sorted((entry.name, entry.is_file(follow_symlinks=False), entry.is_symlink()) for entry in entries)
    except OSError as error:
        problems.add(Location(folder), unreadable(error, "folder"))
        return None


def load_knowledge_base(root: Path) -> tuple[KnowledgeBase, Problems]:
    """Read and schema-check every record under `root`; returns the records and all problems."""
    problems = Problems()
    kb = KnowledgeBase(root)
    if not root.is_dir():
        problems.add(Location(str(root)), "knowledge-base folder not found; expected a folder with claims/, glossary/ and sources/; found nothing")
        return kb, problems
    for path in record_files(kb, "claims", problems):
        _load_record(kb, path, "claims", Claim, kb.claims, "claim", problems)
    for path in record_files(kb, "glossary", problems):
        _load_record(kb, path, "glossary", Term, kb.terms, "term", problems)
    for path in record_files(kb, "sources", problems):
        source = _load_record(kb, path, "sources", Source, None, "source", problems)
        if source is not None:
            _load_source_text(kb, source, problems)
    _orphan_transcripts(kb, problems)
    topics = _load_registry(kb, root, "topics.yaml", TopicRegistry, problems)
    if topics:
        _index_registry(kb, "topics.yaml", "topics", topics.topics, kb.topics, "topic", problems)
    else:
        kb.unloaded.add(("topics", "*"))
    speakers = _load_registry(kb, root, "speakers.yaml", SpeakerRegistry, problems)
    if speakers:
        _index_registry(kb, "speakers.yaml", "speakers", speakers.speakers, kb.speakers, "speaker", problems)
    else:
        kb.unloaded.add(("speakers", "*"))
    kb.estimates = load_estimates(root, problems)
    if (root / HOME_FILE).exists() or os.path.islink(root / HOME_FILE):
        kb.home = _load_registry(kb, root, HOME_FILE, Home, problems)
    return kb, problems


def _display(folder: str, name: str) -> str:
    """How messages name the file `name` of `folder` (path relative to the knowledge base)."""
    return printable(f"{folder}/{name}")


def _load_record(
    kb: KnowledgeBase,
    path: Path,
    folder: str,
    model: type[I],
    index: dict[str, I] | None,
    noun: str,
    problems: Problems,
) -> I | None:
    display = _display(folder, path.name)
    if not re.fullmatch(ID_PATTERN, path.stem):
        problems.add(
            Location(display),
            f"file name is not a valid id; expected a lowercase ASCII kebab-case name{_suggest_id(path.stem)}; "
            f"found '{printable(path.name)}'{id_hint(path.stem)}",
        )
        return None
    kb.unloaded.add((folder, path.stem))
    document, record = parsed_record(kb.files, f"{folder}/{path.name}", model, f"{noun} '{printable(path.stem)}'",
                                     problems)
    if document is None:
        return None
    if record is None:
        if folder == "claims" and isinstance(document.data, dict):
            kb.documents[(folder, path.stem)] = document
            kb.invalid_claims.append(path.stem)
        return None
    record_id = record.id
    if record_id != path.stem:
        problems.add(
            document.location(("id",)),
            f"{noun} '{path.stem}': id does not match the file name; expected '{path.stem}'; found '{record_id}'",
        )
        return None
    if _reserved_id_problem(document, ("id",), noun, folder, record_id, problems):
        return None
    kb.unloaded.discard((folder, path.stem))
    kb.documents[(folder, record_id)] = document
    if index is not None:
        index[record_id] = record
    return record


def _load_source_text(kb: KnowledgeBase, source: Source, problems: Problems) -> None:
    document = kb.document("sources", source.id)
    relative = f"sources/{source.file}"
    display = _display("sources", source.file)
    if windows_device_name(source.file):
        problems.add(document.location(("file",)), f"source '{source.id}': field 'file': name reserved for a "
                     f"device on Windows; expected another file name; found '{source.file}'")
        kb.unloaded.add(("sources", source.id))
        return
    if kb.files.refusal(relative):  # reported by `record_files`, which sees every entry of sources/
        kb.unloaded.add(("sources", source.id))
        return
    if (kb.root / relative).exists() and not (kb.root / relative).is_file():
        kb.unloaded.add(("sources", source.id))  # a pipe or a device: reported by `record_files`
        return
    if not (kb.root / relative).is_file():
        problems.add(
            document.location(("file",)),
            f"source '{source.id}': field 'file': text file not found; expected {display}; found no such file",
        )
        kb.unloaded.add(("sources", source.id))
        return
    try:
        text = source_text(kb.files, relative)
    except YamlProblem as error:
        problems.extend([problem_from(error, display)])
        kb.unloaded.add(("sources", source.id))
        return
    if text is None:  # every quote of it would fail: say once what is wrong instead
        problems.add(Location(display), f"source '{source.id}': transcript is empty; expected the text, one paragraph "
                     "per line; found no text")
        kb.unloaded.add(("sources", source.id))
        return
    kb.sources[source.id] = LoadedSource(source, text)


def _orphan_transcripts(kb: KnowledgeBase, problems: Problems) -> None:
    """A transcript in sources/ without its record (say the .yaml was deleted or renamed) is named
    once; quotes of a source by that name are then not reported one by one."""
    folder = kb.root / "sources"
    if not folder.is_dir() or any(kind == "sources" for kind, _ in kb.unloaded):
        return  # a source record that failed to load may name any of them
    claimed = {source.meta.file for source in kb.sources.values()}
    for text in sorted(folder.glob("*.txt")):
        if text.name in claimed or text.stem in kb.sources or text.name.startswith("."):
            continue
        if kb.files.refusal(f"sources/{text.name}"):
            continue  # reported by `record_files`
        problems.add(Location(_display("sources", text.name)), f"transcript without a source record; expected "
                     f"sources/{text.stem}.yaml naming it in 'file'; found only {text.name}")
        kb.unloaded.add(("sources", text.stem))


def _load_registry(kb: KnowledgeBase, root: Path, name: str, model: type[R], problems: Problems) -> R | None:
    refusal = kb.files.refusal(name)
    if refusal:
        problems.add(Location(name), refusal)
        return None
    if not (root / name).is_file():
        problems.add(Location(name), f"registry file missing; expected {name}; found no such file")
        return None
    document, record = parsed_record(kb.files, name, model, name, problems)
    if document is not None:
        kb.documents[(name, "")] = document
    return record


def _index_registry(
    kb: KnowledgeBase,
    name: str,
    key: str,
    entries: list[I],
    index: dict[str, I],
    noun: str,
    problems: Problems,
) -> None:
    document = kb.document(name, "")
    for position, entry in enumerate(entries):
        entry_id = entry.id
        if entry_id in index:
            first = next(i for i, e in enumerate(entries) if e.id == entry_id)
            problems.add(
                document.location((key, position, "id")),
                f"duplicate {noun} id '{entry_id}'; expected each id once; found it again "
                f"(first at {document.location((key, first, 'id'))})",
            )
            continue
        if _reserved_id_problem(document, (key, position, "id"), noun, key, entry_id, problems):
            kb.unloaded.add((key, entry_id))
            continue
        index[entry_id] = entry
        kb.documents[(key, entry_id)] = document


WINDOWS_DEVICE_NAMES = re.compile(r"(?i)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])")
"""Names Windows keeps for devices, with any extension (`con.yaml`, `NUL.txt`): no file or folder
there may have one, so a record file, a page folder or an export so named breaks a checkout."""


def windows_device_name(file_name: str) -> bool:
    """Whether `file_name` is a device name on Windows (judged by its part before the first dot)."""
    return bool(WINDOWS_DEVICE_NAMES.fullmatch(file_name.split(".", 1)[0]))


def reserved_id(folder: str, record_id: str) -> str | None:
    """What `record_id` is already taken for in `folder`, when a record may not take it."""
    if folder in ("claims", "topics", "speakers", "sources") and record_id == "index":
        return f"the list page {folder}/"
    if folder == "glossary" and re.fullmatch(r"row-[0-9]+", record_id):
        return "an anchor of the glossary's kana rows"
    if windows_device_name(record_id):
        return f"a device on Windows, where no file or folder may be called '{record_id}'"
    return None


def _reserved_id_problem(document: YamlDocument, path: tuple[str | int, ...], noun: str, folder: str,
                         record_id: str, problems: Problems) -> bool:
    """Report a reserved id; True when it was one."""
    used = reserved_id(folder, record_id)
    if used:
        problems.add(document.location(path), f"{noun} '{record_id}': id is reserved for {used}; "
                     f"expected another id; found '{record_id}'")
    return used is not None


def _suggest_id(stem: str) -> str:
    """' such as 'x.yaml'' when lowercasing and dashing the name gives an id, else ''."""
    if not stem.isascii():
        return ""
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return f" such as '{suggestion}.yaml'" if suggestion else ""
