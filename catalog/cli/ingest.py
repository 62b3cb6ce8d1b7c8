"""`catalog ingest PATH...`: read story files into the catalogue."""

from __future__ import annotations

import gc
import os
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Annotated

import typer

from catalog.cli.common import format_option, library, progress_enabled, stderr

if TYPE_CHECKING:
    from rich.progress import Progress

    from catalog import FileReport, Ingesting

META = "Metadata for every file"


def ingest(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(
        help="Story files or directories (recursive); '-' reads a JSONL export from stdin.")],
    author: Annotated[list[str] | None, typer.Option(
        "--author", help="Add an author ('pseud (login)').", rich_help_panel=META)] = None,
    fandom: Annotated[list[str] | None, typer.Option(
        "--fandom", help="Add a fandom.", rich_help_panel=META)] = None,
    category: Annotated[list[str] | None, typer.Option(
        "--category", help="Add a category (Gen, F/M, M/M, F/F, Multi, Other).",
        rich_help_panel=META)] = None,
    relationship: Annotated[list[str] | None, typer.Option(
        "--relationship", help="Add a relationship ('A/B' or 'A & B').",
        rich_help_panel=META)] = None,
    character: Annotated[list[str] | None, typer.Option(
        "--character", help="Add a character.", rich_help_panel=META)] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", help="Add an additional (freeform) tag.", rich_help_panel=META)] = None,
    title: Annotated[str | None, typer.Option(
        "--title", help="Replace the title.", rich_help_panel=META)] = None,
    rating: Annotated[str | None, typer.Option(
        "--rating", help="Replace the rating (AO3 name or shorthand: teen, PG-13, NC-17…).",
        rich_help_panel=META)] = None,
    warning: Annotated[list[str] | None, typer.Option(
        "--warning", help="Replace the archive warnings (repeat; MCD, CNTW, …).",
        rich_help_panel=META)] = None,
    language: Annotated[str | None, typer.Option(
        "--language", help="Replace the language (ISO 639 code or name).",
        rich_help_panel=META)] = None,
    summary: Annotated[str | None, typer.Option(
        "--summary", help="Replace the summary.", rich_help_panel=META)] = None,
    input_format: Annotated[str | None, typer.Option(
        "--input-format", metavar="READER",
        help="Read every file with this reader instead of detecting it: text, markdown, "
             "sidecar, jsonl, ao3-html, epub, ao3-page, fanficfare, ffn-page, html, "
             "docx.")] = None,
    max_size: Annotated[str, typer.Option(
        "--max-size", envvar="CATALOG_MAX_SIZE",
        help="Refuse files larger than this (e.g. 64MB, 1G); also the longest line of a "
             "JSONL export (whose file has no limit) and a quarter of the most an EPUB may "
             "unpack to.")] = "64MB",
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Parse and report what would happen; write nothing.")] = False,
    allow_duplicates: Annotated[bool, typer.Option(
        "--allow-duplicates", help="Store a text even if another path already has it.")] = False,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", help="Follow symbolic links that lead out of the folders named "
        "(by default they are skipped with a notice).")] = False,
    output: Annotated[str, format_option("table", "json", "jsonl", "csv",
                                         aliases={"text": "table"})] = "table",
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Print a line for every file, not only failures.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Parsing processes (default: one per CPU; 1 parses in "
        "this process). Ingests of 50 files or fewer always parse in-process.")] = None,
) -> None:
    """Ingest story files and directories into the catalogue.

    Files are parsed in parallel processes (--jobs) and written by this one in batched
    transactions with a savepoint per file: a bad file is reported on one line with its
    path and the reason, and the rest still lands. Re-ingesting is safe: an unchanged file is
    `unchanged`, a changed one updates its work in place, the same text from another path is
    a `duplicate`. Exit status 1 if any file failed.

    Examples:

      catalog ingest seeds/

      catalog ingest story.txt --fandom "Buffy the Vampire Slayer (TV)" --rating PG-13

      catalog export | catalog --db new.db ingest -
    """
    # the ingest layer only for ingest (--help stays fast)
    from catalog import IngestOptions
    from catalog.config import parse_size

    options = IngestOptions(
        authors=author or [], fandoms=fandom or [], categories=category or [],
        relationships=relationship or [], characters=character or [], tags=tag or [],
        title=title, rating=rating, warnings=warning or [], language=language, summary=summary,
    )
    with _progress() as progress:
        task = progress.add_task("", total=None, of="?") if progress is not None else None

        def read(path: str) -> None:
            if progress is not None and task is not None:
                progress.update(task, advance=1, description=_shown(path))

        run = library(ctx, write=True).ingesting(
            paths, options=options, jobs=jobs, input_format=input_format,
            max_size=parse_size(max_size), dry_run=dry_run,
            allow_duplicates=allow_duplicates, follow_symlinks=follow_symlinks,
            on_read=read, count=progress is not None)  # a total only for the progress line
        if progress is not None and task is not None and run.total is not None:
            progress.update(task, total=run.total, of=f"{run.total:,}")
        counts: Counter[str] = Counter()
        reports = _show(run, counts, show_lines=output == "table", verbose=verbose)
        # A terminal that shows the progress line gets the records after it, all at once;
        # a pipe or a file gets them as they come. Only counts are kept: memory stays flat.
        later = output != "table" and progress is not None and sys.stdout.isatty()
        with _collecting_rarely():
            kept = list(reports) if later else []
            if output == "table":
                deque(reports, maxlen=0)
            elif not later:
                _records(reports, output)
    if later:
        _records(kept, output)
    _finish(counts, dry_run, output)


# Young objects between two collections of the youngest generation (Python's default is
# 700). An ingest makes millions of short-lived rows and records, and collecting them every
# 700 allocations, with full collections walking every module and class loaded, took 1.1 s
# of the writer's 12.5 s of CPU for 10,000 files; 0.1 s with this and the freeze.
YOUNG_OBJECTS = 50_000


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    """Run a bulk ingest with the objects loaded so far (modules, the engine, the lexicon)
    frozen out of the cycle collector and its youngest generation collected rarely. The
    parsing workers, forked later, inherit both."""
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _show(run: Ingesting, counts: Counter[str], *, show_lines: bool,
          verbose: bool) -> Iterator[FileReport]:
    """Each file's outcome as it comes, counted: failures and skips on stderr, the rest
    with --verbose (the progress line, on a terminal, moves as each file is read)."""
    for report in run:
        counts[report.status] += 1
        if report.status == "failed":
            print(f"error: {_problem(report)}", file=sys.stderr)
        elif report.status == "skipped":
            print(f"skipped: {_problem(report)}", file=sys.stderr)
        else:
            if report.notice:
                print(f"notice: {_problem(report, report.notice)}", file=sys.stderr)
            if show_lines and verbose:
                print(_line(report))
        yield report


def _shown(path: str) -> str:
    """The name of the file being read, for the progress line (its folders would push the
    name out of a short line): escaped, never read as markup."""
    # rich and the text helpers only when a command prints (--help stays fast)
    from rich.markup import escape

    from catalog.textnorm import escape_line

    return escape(escape_line(os.path.basename(path.rstrip("/")) or path))


def _problem(report: FileReport, text: str | None = None) -> str:
    """`path: reason` on one line whatever the file name or its text holds."""
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    return f"{escape_line(report.path)}: {escape_line(text or report.error)}"


def _line(report: FileReport) -> str:
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    detail = f"#{report.id} '{escape_line(report.title)}' ({report.words} words)"
    if report.duplicate_of is not None:
        detail = f"duplicate of #{report.duplicate_of}"
    return f"{report.status}: {escape_line(report.path)}: {detail}"


def _progress() -> AbstractContextManager[Progress | None]:
    """A transient progress line on stderr, only on a terminal: a fixed-width counter and
    the rate first, then a short bar, then the file being read, cut to fit the line (a long
    path never pushes the counter off it). Lines printed to stderr meanwhile show above it
    (rich redirects stderr); stdout is left alone for pipes."""
    if not progress_enabled():
        return nullcontext()

    # rich only to draw for a terminal
    from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn
    from rich.table import Column
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.speed
            return Text(f"{speed:>5,.0f} files/s" if speed else "       files/s")

    return Progress(TextColumn("{task.completed:>7,}/{task.fields[of]:<7}"), Rate(),
                    BarColumn(bar_width=16),
                    TextColumn("{task.description}", style="dim",
                               table_column=Column(no_wrap=True, overflow="ellipsis",
                                                   ratio=1)),
                    transient=True, expand=True, console=stderr(), redirect_stdout=False)


REPORT_COLUMNS = ("path", "status", "id", "title", "words", "format", "duplicate_of", "error",
                  "notice")


def _records(reports: Iterable[FileReport], output: str) -> None:
    """Each file's record on stdout (--format json, jsonl or csv)."""
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    Catalogue.write((r.as_dict() for r in reports), sys.stdout, format=output,
                    columns=REPORT_COLUMNS)


def _finish(counts: Counter[str], dry_run: bool, output: str) -> None:
    """The summary line, always: on stdout on a terminal, else on stderr, so that what a
    pipe or a file receives is the records (--verbose lines, --format's records) alone."""
    # the ingest layer only for ingest (--help stays fast)
    from catalog import IngestReport

    line = IngestReport.line(counts, dry_run)
    if output == "table":
        print(line, file=sys.stdout if sys.stdout.isatty() else sys.stderr)
    else:
        print(line, file=sys.stderr)
    if counts["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
