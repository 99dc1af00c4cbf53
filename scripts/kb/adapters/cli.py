"""Command line: `kb check`, `kb build`, `kb schema`. Orders the steps; the work is elsewhere."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..checks.check import CheckedKnowledgeBase
from ..checks.published import REGISTRY_FILE, publish, read_registry, unpublished_ids
from ..exports.exports import json_schemas
from ..output.sitemap import content_date
from ..records.problems import Problems
from .engines import ENGINES, build_site, postbuild_site, render_out_refusal, render_project
from .environment import environment_message
from .pipeline import load_and_check
from .project import Project, ProjectError, load_project
from .sitefolder import build_into, recover, site_dir_refusal

REPO = Path(__file__).resolve().parents[3]


def report(problems: Problems) -> None:
    """Print every problem, one per line, then a count."""
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was built.", file=sys.stderr)


def print_coverage(checked: CheckedKnowledgeBase) -> None:
    """How many substantive paragraphs each source has, and which no claim quotes."""
    kb = checked.kb
    print(f"{len(kb.claims)} claims, {len(kb.terms)} terms, {len(kb.topics)} topics, "
          f"{len(kb.speakers)} speakers, {len(kb.sources)} source(s): all checks passed.")
    for item in checked.coverage():
        cited = len(item.substantive) - len(item.uncited)
        line = f"coverage of source '{item.source}': {cited}/{len(item.substantive)} substantive paragraphs cited"
        if item.uncited:
            line += "; uncited: " + ", ".join(f"p{n}" for n in item.uncited)
        print(line)


def checked_or_report(kb: Path) -> CheckedKnowledgeBase | None:
    """The checked knowledge base, or None after printing every problem found in it."""
    checked, problems = load_and_check(kb)
    if problems or checked is None:
        report(problems)
        return None
    return checked


def command_check(args: argparse.Namespace) -> int:
    checked = checked_or_report(Path(args.kb))
    if checked is None:
        return 1
    print_coverage(checked)
    return 0


def command_build(args: argparse.Namespace) -> int:
    kb, site = Path(args.kb).resolve(), Path(args.site_dir).resolve()
    refusal = site_dir_refusal(site, kb, Path(args.config).resolve().parent)
    if refusal:
        print(f"--site-dir {args.site_dir}: {refusal}; nothing was built.", file=sys.stderr)
        return 1
    try:
        warn(recover(site, lambda: wait_for(site)))  # first: a build that stops on bad records leaves a site too
        return _check_and_build(args.engine, Path(args.kb), Path(args.config), site)
    except OSError as error:  # the machine's, not the records': a folder we may not write, a full disk
        print(f"kb build: {environment_message(error, site.parent)}; {site} was left as it was.", file=sys.stderr)
        return 1


def _check_and_build(engine: str, kb: Path, config: Path, site: Path) -> int:
    checked = checked_or_report(kb)
    if checked is None:
        return 1
    print_coverage(checked)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(content_date(kb.resolve())))  # read by MkDocs
    if not engine_build_into(engine, config, kb.resolve(), site):
        print(f"{ENGINES[engine]} build failed; {site} was left as it was.", file=sys.stderr)
        return 1
    print(f"site written to {site}")
    return 0


def wait_for(site: Path) -> None:
    print(f"waiting for another build into {site.parent} to finish…", file=sys.stderr)


def warn(lines: list[str]) -> None:
    for line in lines:
        print(f"kb build: warning: {line}", file=sys.stderr)


def command_publish(args: argparse.Namespace) -> int:
    checked = checked_or_report(Path(args.kb))
    if checked is None:
        return 1
    if args.check:
        missing = unpublished_ids(checked.kb, read_registry(checked.kb.root, Problems()))
        if missing:
            print(f"{len(missing)} claim id(s) not in {REGISTRY_FILE}: {', '.join(missing)}; "
                  "run `make publish-ids` and commit the file", file=sys.stderr)
            return 1
        print(f"every claim id is in {REGISTRY_FILE}")
        return 0
    added = publish(checked.kb)
    print(f"{REGISTRY_FILE}: {len(added)} id(s) added" + (": " + ", ".join(added) if added else ""))
    return 0


def engine_build_into(engine: str, config_file: Path, kb: Path, site: Path) -> bool:
    """Build `kb` with `engine` into a fresh folder next to `site`; swap it in only when the build succeeded."""
    built, leftovers = build_into(site, lambda staging: build_site(engine, config_file, kb, staging),
                                  lambda: wait_for(site))
    warn(leftovers)
    return built


def command_render(args: argparse.Namespace) -> int:
    checked, project = _checked_project(args)
    if checked is None or project is None:
        return 1
    out = Path(args.out)
    refusal = render_out_refusal(out.resolve(), project)
    if refusal:
        print(f"kb render: --out {args.out}: {refusal}; nothing was written.", file=sys.stderr)
        return 1
    render_project(project, checked, out)
    print(f"docs folder written to {out / 'docs'} (templates: {out / 'overrides'}, configuration: {out / 'mkdocs.yml'})")
    return 0


def command_postbuild(args: argparse.Namespace) -> int:
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"kb postbuild: {site}: expected a built site (with index.html); found none; nothing was written.",
              file=sys.stderr)
        return 1
    checked, project = _checked_project(args)
    if checked is None or project is None:
        return 1
    postbuild_site(project, checked, site)
    print(f"exports, search index, redirects and preview images written into {site}")
    return 0


def _checked_project(args: argparse.Namespace) -> tuple[CheckedKnowledgeBase | None, Project | None]:
    """The checked knowledge base and the project of `--kb` and `--config`, or Nones after saying why not."""
    checked = checked_or_report(Path(args.kb))
    if checked is None:
        return None, None
    try:
        return checked, load_project(Path(args.config).resolve(), Path(args.kb).resolve())
    except ProjectError as error:
        print(f"kb {args.command}: {error}; nothing was written.", file=sys.stderr)
        return None, None


def command_schema(args: argparse.Namespace) -> int:
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in json_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `kb` command."""
    root = argparse.ArgumentParser(prog="kb", description="Check and build the annotated knowledge base.")
    commands = root.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check every record; print all problems")
    check.add_argument("--kb", default=str(REPO), help="knowledge-base folder (default: the repository)")
    check.set_defaults(run=command_check)
    build = commands.add_parser("build", help="check, then build the site atomically")
    build.add_argument("--kb", default=str(REPO), help="knowledge-base folder (default: the repository)")
    build.add_argument("--config", default=str(REPO / "mkdocs.yml"))
    build.add_argument("--site-dir", default=str(REPO / "site"))
    build.add_argument("--engine", choices=sorted(ENGINES), default="mkdocs",
                       help="the static-site generator (default: mkdocs); see the README's Engines")
    build.set_defaults(run=command_build)
    render = commands.add_parser("render", help="write every page, with front matter, as a docs folder for any engine")
    render.add_argument("--kb", default=str(REPO), help="knowledge-base folder (default: the repository)")
    render.add_argument("--config", default=str(REPO / "mkdocs.yml"))
    render.add_argument("--out", required=True, help="folder to write docs/, overrides/ and mkdocs.yml into")
    render.set_defaults(run=command_render)
    postbuild = commands.add_parser("postbuild", help="write exports, search index, redirects and images into a built site")
    postbuild.add_argument("site", help="the folder an engine built the rendered docs into")
    postbuild.add_argument("--kb", default=str(REPO), help="knowledge-base folder (default: the repository)")
    postbuild.add_argument("--config", default=str(REPO / "mkdocs.yml"))
    postbuild.set_defaults(run=command_postbuild)
    publish_ = commands.add_parser("publish", help=f"add every claim id to {REGISTRY_FILE} (ids once public keep working)")
    publish_.add_argument("--kb", default=str(REPO), help="knowledge-base folder (default: the repository)")
    publish_.add_argument("--check", action="store_true", help="only fail when a claim id is not in the registry")
    publish_.set_defaults(run=command_publish)
    schema = commands.add_parser("schema", help="write the JSON Schemas of the record types")
    schema.add_argument("--out", default=str(REPO / "docs" / "schema"))
    schema.set_defaults(run=command_schema)
    return root


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kb` command."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a file we may not write or read, a full disk: the machine's, not a bug
        print(f"kb {args.command}: {environment_message(error)}; nothing was changed.", file=sys.stderr)
        return 1
    except Exception as error:  # a bug, not bad input: say so in one line, keep the site as it was
        if os.environ.get("KB_TRACEBACK"):
            raise
        print(f"kb {args.command}: internal error: {type(error).__name__}: {error}; nothing was changed. "
              "This is a bug in the build, not in the records; run again with KB_TRACEBACK=1 "
              "and report the traceback.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
