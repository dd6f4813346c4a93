"""Command line: argument parsing, printing and exit codes (0 ok, 1 error or failed check, 2 usage)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from i18n_pipeline import __version__, pipeline
from i18n_pipeline.config import CONFIG_NAME, Settings, load_settings, with_engine_options
from i18n_pipeline.errors import NoProjectError, PipelineError, ReleaseExistsError, UsageError
from i18n_pipeline.files import LockHolder
from i18n_pipeline.incremental import command_key, forget_manifest, write_manifest
from i18n_pipeline.locking import project_lock
from i18n_pipeline.model import Severity, State, Stats
from i18n_pipeline.progress import progress_bar
from i18n_pipeline.xliff import DEFAULT_STATES, VERSIONS

if TYPE_CHECKING:  # the pipeline imports a command's rooms when the command runs (pipeline/__init__.py)
    from i18n_pipeline.site import BuildResult
    from i18n_pipeline.translate import TranslateReport

log = logging.getLogger("i18n_pipeline")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


# Commands that write into the project: one at a time per project (the project lock).
WRITING_COMMANDS = ("extract", "update", "translate", "build", "report", "run", "ingest", "tm", "xliff", "glossary")


def no_wait(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-wait", action="store_true",
        help="exit 1 at once when another run is working on the project (default: wait for it)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="i18n-pipeline",
        description="Translate and localise press releases through gettext PO files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    # Also before the command, as 'git -C DIR' takes it; the command's own --project wins.
    parser.add_argument("--project", dest="project_before", type=Path, metavar="DIR", help="project folder (default: .)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--project", type=Path, metavar="DIR", help="project folder (default: .)")
        if name in WRITING_COMMANDS:
            no_wait(p)
        return p

    def languages(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "-l", "--language", action="append", dest="languages", metavar="LANG",
            help="only this target language (repeatable; default: all in pipeline.yaml)",
        )

    def engine_arguments(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--engine", metavar="NAME",
            help="engine to use, or a fallback chain such as llm,apertium (default: from pipeline.yaml, else apertium)",
        )
        p.add_argument(
            "--engine-option", action="append", default=[], dest="engine_options", metavar="ENGINE.KEY=VALUE",
            help="an engine setting, over pipeline.yaml's engine_options (repeatable), e.g. llm.model=gpt-4o-mini",
        )
        p.add_argument(
            "--dask", metavar="ADDRESS",
            help="send engine batches to a Dask cluster: tcp://HOST:PORT (a running scheduler) or local:N "
            "(N worker processes here); needs the 'dask' extra",
        )

    command("extract", "write one template per release: locales/templates/<release>.pot")
    p = command("update", "create or merge locales/<lang>/LC_MESSAGES/<release>.po from the templates")
    languages(p)
    p = command("translate", "fill untranslated entries from memory and machine translation (marked fuzzy)")
    languages(p)
    engine_arguments(p)
    p.add_argument("--json", action="store_true", help="print per-language counts as JSON")
    p.add_argument(
        "--dry-run", action="store_true",
        help="print the segments and characters each engine would get after memory and cache, and the "
        "estimated cost; send nothing, write nothing",
    )
    p = command("status", "segments and words per language and release: reviewed, machine, needs_update, untranslated")
    languages(p)
    p.add_argument("--json", action="store_true", help="print JSON for build jobs")
    p.add_argument(
        "--min-reviewed", type=_share, metavar="P",
        help="exit 1 when a release has less than P of its words reviewed in a language (0.9 or 90%%)",
    )
    p = command("check", "run the QA checks on every translation; exit 1 on a problem at or above --fail-on")
    languages(p)
    p.add_argument("--json", action="store_true", help="print problems as JSON: file, line, check, severity, message")
    p.add_argument("--list", action="store_true", help="list every check with its severity and help, then exit")
    p.add_argument(
        "--fail-on", choices=[s.value for s in Severity], default=Severity.CRITICAL.value, metavar="SEVERITY",
        help="exit 1 when a problem of this severity or a graver one exists: critical (default), functional, cosmetic",
    )
    p = command("build", "write build/<lang>/<release>.md and .html, the original's pages and an index per language")
    languages(p)
    p.add_argument(
        "--include-machine", action="store_true",
        help="use unreviewed machine translations too (the release says so); default: the publish policy",
    )
    p.add_argument("--mo", action="store_true", help="also compile MO files next to the PO files (fuzzy skipped)")
    p = command("report", "write build/report.html: review progress per release and language, and the QA problems")
    languages(p)
    p = command("run", "extract, update, translate and build every target language")
    languages(p)
    engine_arguments(p)
    p = command("ingest", "turn scraped pages, HTML or e-mail text into content/<slug>.md")
    p.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="files to ingest")
    p.add_argument("--slug", help="release name (only with one SOURCE)")
    p.add_argument("--format", choices=["auto", "html", "text", "markdown"], default="auto", help="input format")
    p.add_argument("--explain", action="store_true", help="list every dropped line and the rule that dropped it")
    p.add_argument("--force", action="store_true", help="overwrite an existing content/<slug>.md")
    tm = command("tm", "translation memory: import or export TMX 1.4")
    tm_sub = tm.add_subparsers(dest="tm_command", metavar="ACTION", parser_class=_Parser)
    for action, text in (("import", "load a TMX file into the memory"), ("export", "write the memory as TMX")):
        a = tm_sub.add_parser(action, help=text, description=text)
        a.add_argument("file", type=Path, metavar="FILE.tmx")
        a.add_argument("--project", type=Path, metavar="DIR", help="project folder (default: .)")
        no_wait(a)
    xliff = command("xliff", "exchange translations with an agency's CAT tool as XLIFF 2.1 or 1.2")
    xliff_sub = xliff.add_subparsers(dest="xliff_command", metavar="ACTION", parser_class=_Parser)
    text = "write OUT_DIR/<lang>/<release>.xlf with the entries to translate"
    a = xliff_sub.add_parser("export", help=text, description=text)
    languages(a)
    a.add_argument("--version", choices=VERSIONS, default="2.1", help="XLIFF version (default: 2.1)")
    a.add_argument("--state", metavar="STATES", default=",".join(s.value for s in DEFAULT_STATES),
                   help="comma-separated: machine, needs_update, untranslated, reviewed (default: all but reviewed)")
    a.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    b = xliff_sub.add_parser("import", help="bring translations back into the PO files",
                             description="bring translations back into the PO files")
    b.add_argument("files", nargs="+", type=Path, metavar="FILE")
    glossary = command("glossary", "exchange the glossary with terminologists as TBX or CSV")
    glossary_sub = glossary.add_subparsers(dest="glossary_command", metavar="ACTION", parser_class=_Parser)
    text = "merge the terms of a TBX (v2 or v3) or CSV file into locales/glossary.yaml"
    c = glossary_sub.add_parser("import", help=text, description=text)
    c.add_argument("file", type=Path, metavar="FILE.tbx|FILE.csv")
    text = "write locales/glossary.yaml as TBX v3 (TBX-Basic) or CSV"
    d = glossary_sub.add_parser("export", help=text, description=text)
    d.add_argument("--format", choices=["tbx", "csv"], help="default: from the file's extension, else tbx")
    d.add_argument("file", type=Path, metavar="FILE")
    for p in (a, b, c, d):
        p.add_argument("--project", type=Path, metavar="DIR", help="project folder (default: .)")
        no_wait(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args.project = args.project or args.project_before or Path(".")
    try:
        code = _dispatch(args)
        _flush_stdout()
        return code
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NoProjectError as exc:
        print(f"error: {exc.where}: {exc.what}; {exc.fix}, or pass --project DIR", file=sys.stderr)
        return EXIT_ERROR
    except ReleaseExistsError as exc:
        print(f"error: {exc.where}: {exc.what}; pass --force to replace it, or --slug NAME", file=sys.stderr)
        return EXIT_ERROR
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130


def _say_waiting(holder: LockHolder | None) -> None:
    who = holder.describe() if holder else "another process"
    print(f"waiting: {who} is working on this project (Ctrl-C stops waiting; --no-wait exits instead)", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        return _ingest(args)
    if args.command == "check" and args.list:
        return _list_checks()
    settings = load_settings(args.project)
    if getattr(args, "engine_options", None):
        settings = with_engine_options(settings, args.engine_options)
    if args.command not in WRITING_COMMANDS:
        return _command(settings, args)
    action = getattr(args, f"{args.command}_command", None)  # tm, xliff, glossary: import or export
    name = " ".join(filter(None, ("i18n-pipeline", args.command, action)))
    with project_lock(settings, name, wait=not args.no_wait, on_wait=_say_waiting):
        return _command(settings, args)


def _command(settings: Settings, args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "extract":
        res = pipeline.extract(settings)
        _say(f"templates: {len(res.written)} written, {len(res.unchanged)} unchanged")
    elif cmd == "update":
        res = pipeline.update(settings, args.languages)
        _say(f"PO files: {len(res.written)} written, {len(res.unchanged)} unchanged")
    elif cmd == "translate" and args.dry_run:
        return _dry_run(settings, args)
    elif cmd == "translate":
        with progress_bar() as progress, pipeline.open_cluster(args.dask) as dask:
            reports = pipeline.translate(settings, args.languages, args.engine, progress, dask=dask)
        if args.json:
            _say(json.dumps({r.language: r.as_dict() for r in reports}, indent=2, sort_keys=True))
        else:
            for r in reports:
                _print_translate(r)
        if any(r.counts["failed"] for r in reports):
            return EXIT_ERROR
    elif cmd == "status":
        return _status(settings, args)
    elif cmd == "check":
        return _check(settings, args)
    elif cmd == "build":
        built = pipeline.build(settings, args.languages, include_machine=True if args.include_machine else None, mo=args.mo)
        _print_build(settings, built)
        if built.withheld:
            return EXIT_ERROR
    elif cmd == "report":
        target = pipeline.report(settings, args.languages)
        _say(f"report: {target}")
    elif cmd == "run":
        with progress_bar() as progress, pipeline.open_cluster(args.dask) as dask:
            result = pipeline.run(settings, args.languages, args.engine, progress, dask=dask)
        # Complete and clean: the next run with this command line and no file changed has nothing
        # to do (--dask is not part of it: a run on Dask writes what a local run writes). Else the
        # next run must do it again (a run that raised changed nothing it recorded).
        if not result.built.withheld and not any(r.counts["failed"] for r in result.translated):
            write_manifest(settings.root, command_key("run", args.languages, args.engine, args.engine_options))
        else:
            forget_manifest(settings.root)
        _say(f"templates: {len(result.extracted.written)} written, {len(result.extracted.unchanged)} unchanged")
        _say(f"PO files: {len(result.updated.written)} written, {len(result.updated.unchanged)} unchanged")
        for r in result.translated:
            _print_translate(r)
        _print_build(settings, result.built)
        for lang, left in result.built.unreviewed.items():
            # Over every release, also those the run did not rewrite (the work log keeps the counts).
            _say(f"{lang}: {_count(left['segments'], 'segment')} ({_count(left['words'], 'word')}) not reviewed yet")
        if result.built.withheld:
            return EXIT_ERROR
    elif cmd == "tm":
        return _tm(settings, args)
    elif cmd == "xliff":
        return _xliff(settings, args)
    elif cmd == "glossary":
        return _glossary(settings, args)
    return EXIT_OK


def _say(text: str) -> None:
    """Print a line of results. A reader that went away (``status | head -1``) ends the output,
    not the command: the work is finished and the exit code is the command's own, so a build
    job with ``set -o pipefail`` stays green (``git`` would die of SIGPIPE, exit 141)."""
    try:
        print(text)
    except BrokenPipeError:
        _silence_stdout()


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except ValueError:  # stdout closed by the caller
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that nothing (not even the interpreter's final flush) writes
    to the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _share(text: str) -> float:
    """A share for --min-reviewed: 0.9, or 90%."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a share; write e.g. 0.9 or 90%") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not between 0 and 1 (0% and 100%)")
    return value


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _print_build(settings: Settings, built: BuildResult) -> None:
    notes = []
    if built.machine_segments:
        notes.append(f"{_count(built.machine_segments, 'unreviewed segment')} shown, marked as such")
    if built.fallback_segments:
        notes.append(f"{built.fallback_segments} left in the source language")
    if built.rejected_segments:
        notes.append(
            f"{_count(built.rejected_segments, 'translation')} not published: failing a critical check ('i18n-pipeline check')"
        )
    files = len(built.outputs) - built.mo_written - built.mo_unchanged
    _say(
        f"build: {_count(built.written, 'file')} written, {files - built.written} unchanged in {settings.build_dir}"
        + (f" ({'; '.join(notes)})" if notes else "")
    )
    if built.mo_written or built.mo_unchanged:
        _say(f"MO files: {built.mo_written} written, {built.mo_unchanged} unchanged")
    for path in built.removed:
        _say(f"removed {path} (the release is withheld)")
    for line in built.withheld:
        print(f"{line}", file=sys.stderr)


def _print_translate(r: TranslateReport) -> None:
    c = r.counts
    if len(r.by_engine) > 1 or set(r.by_engine) - {r.engine}:  # a fallback engine did some
        by = ", ".join(f"{n} by {name}" for name, n in r.by_engine.items())
    else:
        by = f"{c['engine']} by {r.engine}"
    # Engines move or drop tags now and then (Apertium: a few sentences in a hundred); each is put
    # back and the output is machine-marked for review anyway: a count here, the sentences under -v.
    repaired = f"; {_count(r.repaired, 'output')} with tags put back" if r.repaired else ""
    _say(
        f"{r.language}: {c['tm_exact']} from memory, {c['tm_fuzzy']} fuzzy from memory, {c['cache']} from cache, "
        f"{by} ({_count(r.requests, 'engine request')}{repaired}), {c['failed']} failed"
    )


def _dry_run(settings: Settings, args: argparse.Namespace) -> int:
    """What translate would send, per language and engine, and what it would cost."""
    reports = pipeline.translate(settings, args.languages, args.engine, dry_run=True)
    if args.json:
        out = {
            r.language: {
                "tm_exact": r.counts["tm_exact"], "tm_fuzzy": r.counts["tm_fuzzy"], "cache": r.counts["cache"],
                "engines": {name: {"segments": p.segments, "characters": p.characters, "estimated_cost": round(p.cost, 6)}
                            for name, p in r.planned.items()},
                "fallbacks": list(r.fallbacks),
            }
            for r in reports
        }
        _say(json.dumps(out, indent=2, sort_keys=True))
        return EXIT_OK
    _say("dry run: nothing is sent, nothing is written")
    total = 0.0
    for r in reports:
        c = r.counts
        known = f"{c['tm_exact']} from memory, {c['tm_fuzzy']} fuzzy from memory, {c['cache']} from cache"
        if not r.planned:
            _say(f"{r.language}: {known}; nothing to send")
        for name, p in r.planned.items():
            fallback = f" (if it fails: {', then '.join(r.fallbacks)})" if r.fallbacks else ""
            _say(f"{r.language}: {known}; {p.segments} segments, {p.characters} characters to {name}{fallback}, "
                 f"estimated cost {p.cost:.4f}")
            total += p.cost
    _say(f"estimated cost: {total:.4f} (from each engine's price_per_million_chars)")
    return EXIT_OK


def _status(settings: Settings, args: argparse.Namespace) -> int:
    rows = pipeline.status(settings, args.languages)
    below = []
    for row in rows:
        reviewed, words = row.stats.words["reviewed"], sum(row.stats.words.values())
        if args.min_reviewed is not None and words and reviewed / words < args.min_reviewed:
            below.append(f"{row.language}/{row.release}: {_percent(reviewed, words)} of its words reviewed")
    if args.json:
        out: dict[str, dict[str, object]] = {}
        totals: dict[str, Stats] = {}
        for row in rows:
            lang = out.setdefault(row.language, {"releases": {}})
            lang["releases"][row.release] = {  # type: ignore[index]
                "segments": row.stats.segments,
                "words": row.stats.words,
                "problems": len(row.problems),
            }
            totals.setdefault(row.language, Stats()).merge(row.stats)
        for language, total in totals.items():
            out[language]["segments"] = total.segments
            out[language]["words"] = total.words
        _say(json.dumps(out, indent=2, sort_keys=True))
    else:
        _status_table(rows)
    for line in below:
        print(f"status: {line}, below --min-reviewed {args.min_reviewed:.0%}", file=sys.stderr)
    return EXIT_ERROR if below else EXIT_OK


def _status_table(rows: list[pipeline.ReleaseStatus]) -> None:
    """Words per review state, with shares: one row per language and release, then one per
    language over all its releases; columns aligned."""
    states = ("reviewed", "machine", "needs_update", "untranslated")
    table = [["lang", "release", "words", "reviewed", "machine", "needs update", "untranslated"]]
    totals: dict[str, Stats] = {}
    for row in rows:
        totals.setdefault(row.language, Stats()).merge(row.stats)
    releases = len({row.release for row in rows})
    for row in [*rows, *(pipeline.ReleaseStatus(lang, "(all releases)", t, []) for lang, t in totals.items() if releases > 1)]:
        words = row.stats.words
        total = sum(words.values())
        table.append([row.language, row.release, str(total), *(f"{words[k]} ({_percent(words[k], total)})" for k in states)])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        _say("  ".join(c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip())
    problems = sum(len(row.problems) for row in rows)
    if problems:
        _say(f"{_count(problems, 'problem')}: 'i18n-pipeline check' lists them")


def _percent(part: int, whole: int) -> str:
    """Floored, so 99.6 % never reads as 100 %."""
    return f"{(100 * part // whole) if whole else 100}%"


def _list_checks() -> int:
    for c in pipeline.CHECKS.values():
        _say(f"{c.name} ({c.severity.value})")
        for line in c.help.splitlines():
            _say(f"    {line}" if line else "")
        _say("")
    return EXIT_OK


def _check(settings: Settings, args: argparse.Namespace) -> int:
    problems = [p for row in pipeline.status(settings, args.languages) for p in row.problems]
    if args.json:
        rows = [
            {"file": p.file, "line": p.line, "check": p.check, "severity": p.severity.value, "message": p.message}
            for p in problems
        ]
        _say(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for p in problems:
            _say(f"{p.severity.value}: {p.where}: {p.message} [{p.check}]")
        counts = {s: sum(p.severity is s for p in problems) for s in Severity}
        detail = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        _say(f"{len(problems)} problem{'' if len(problems) == 1 else 's'}" + (f" ({detail})" if detail else ""))
    threshold = Severity(args.fail_on).rank
    return EXIT_ERROR if any(p.severity.rank >= threshold for p in problems) else EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    if args.slug and len(args.sources) > 1:
        print("error: --slug works with one SOURCE only", file=sys.stderr)
        return EXIT_USAGE
    # Ingest needs only the source language: a folder without pipeline.yaml gets the defaults.
    settings = load_settings(args.project) if (args.project / CONFIG_NAME).exists() else Settings(root=args.project)
    with project_lock(settings, "i18n-pipeline ingest", wait=not args.no_wait, on_wait=_say_waiting):
        return _print_ingested(args, settings)


def _print_ingested(args: argparse.Namespace, settings: Settings) -> int:
    ingested = pipeline.ingest_sources(settings, args.sources, slug=args.slug, fmt=args.format, force=args.force)
    for source, target, result in ingested:
        meta = result.metadata
        _say(f"{source} -> {target}")
        _say(f"  title: {meta.get('title', '(none)')}; date: {meta.get('date', '(none)')}; language: {result.language or '?'}")
        _say(
            f"  {len(result.markdown.split(chr(10) + chr(10)))} blocks, {len(meta.get('links') or [])} links, "
            f"{len(meta.get('contacts') or [])} contacts, {len(result.dropped)} lines dropped"
        )
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)  # each warning names its file already
        if args.explain:
            for d in result.dropped:
                _say(f"  dropped {source}:{d.line} [{d.rule}] {d.text}")
    return EXIT_OK


def _tm(settings: Settings, args: argparse.Namespace) -> int:
    if not args.tm_command:
        print("error: say 'tm import FILE' or 'tm export FILE'", file=sys.stderr)
        return EXIT_USAGE
    if args.tm_command == "import":
        kept, n = pipeline.add_memory_file(settings, args.file)
        _say(f"imported {n} translation units from {args.file} (kept as {kept})")
        return EXIT_OK
    n = pipeline.export_memory(settings, args.file, tool_version=__version__)
    _say(f"exported {n} translation units to {args.file}")
    return EXIT_OK


def _states(text: str) -> list[State]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = {s.value: s for s in State}
    wrong = [name for name in names if name not in known]
    if wrong or not names:
        raise UsageError("--state", f"unknown state {wrong[0]!r}" if wrong else "no state given",
                         f"give a comma-separated choice of {', '.join(known)}")
    return [known[name] for name in names]


def _xliff(settings: Settings, args: argparse.Namespace) -> int:
    if not args.xliff_command:
        print("error: say 'xliff export OUT_DIR' or 'xliff import FILE...'", file=sys.stderr)
        return EXIT_USAGE
    if args.xliff_command == "export":
        files = pipeline.xliff_export(settings, args.languages, args.out_dir, version=args.version,
                                      states=_states(args.state), tool_version=__version__)
        for path, units in files:
            _say(f"{path}: {units} units")
        _say(f"XLIFF {args.version}: {len(files)} files, {sum(n for _, n in files)} units")
        return EXIT_OK
    reports = pipeline.xliff_import(settings, args.files, today=date.today().isoformat())
    for r in reports:
        _say(f"{r.xliff} -> {r.po}: {r.reviewed} reviewed, {r.to_review} to review, {r.unchanged} unchanged, "
             f"{len(r.problems)} not imported")
        for problem in r.problems:
            print(f"warning: {problem}", file=sys.stderr)
    return EXIT_OK


def _glossary(settings: Settings, args: argparse.Namespace) -> int:
    if not args.glossary_command:
        print("error: say 'glossary import FILE' or 'glossary export FILE'", file=sys.stderr)
        return EXIT_USAGE
    if args.glossary_command == "export":
        fmt = args.format or ("csv" if args.file.suffix.lower() == ".csv" else "tbx")
        n = pipeline.glossary_export(settings, args.file, fmt)
        _say(f"exported {n} terms and names to {args.file} ({'TBX v3, TBX-Basic' if fmt == 'tbx' else 'CSV'})")
        return EXIT_OK
    imported, report = pipeline.glossary_import(settings, args.file, today=date.today().isoformat())
    _say(f"{args.file}: {imported.concepts} concepts; {len(report.added)} terms added, {len(report.names)} names added, "
         f"{len(report.updated)} changes, {report.unchanged} unchanged, {len(imported.skipped)} skipped")
    for line in report.updated:
        _say(f"  changed {line}")
    for line in report.kept + imported.skipped:
        print(f"warning: {line}", file=sys.stderr)
    if imported.other_languages:
        print(f"warning: {args.file}: left out the terms in {', '.join(sorted(imported.other_languages))} "
              "(not languages of this project)", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
