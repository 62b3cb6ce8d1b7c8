"""Help pages in plain text, without rich.

Typer renders rich help through `typer.rich_utils`, which imports rich's console, tables,
panels, Markdown (markdown-it) and tracebacks (pygments) up front: more than everything
else `catalog --help` does. The commands use click's plain formatter instead, with two
things rich gave us kept:

- example paragraphs (every line starts with `catalog `) are printed as written, one
  example per line, never re-wrapped into each other;
- options are listed in sections by their help panel (`rich_help_panel`), so the filters
  shared by `list`, `export` and `stats` stand apart from a command's own options.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from typer.core import TyperCommand, TyperGroup

from catalog.cli.params import install_param

HELP_WIDTH = 100  # at most; narrower terminals get their own width
_KEEP = "\b"  # click's marker: the paragraph after it is printed without re-wrapping


def help_text(text: str) -> str:
    """`text` (a docstring) with each example paragraph marked to be kept as written."""
    paragraphs = inspect.cleandoc(text).partition("\f")[0].split("\n\n")
    return "\n\n".join(
        f"{_KEEP}\n{p}" if p.strip() and all(line.strip().startswith("catalog ")
                                             for line in p.strip().splitlines()) else p
        for p in paragraphs)


class _PlainHelp:
    """Formatting shared by commands and groups (mixed into Typer's classes)."""

    help: str | None
    params: list[Any]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            install_param(option)  # made on demand, after `params.install` ran
        return option

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = help_text(self.help) if self.help else ""
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            record = (_plain_type(param, record[0]), record[1])
            if param.param_type_name == "argument":
                title = "Arguments"
            else:
                title = getattr(param, "rich_help_panel", None) or "Options"
            sections.setdefault(title, []).append(record)
        for title in sorted(sections, key=lambda t: ("Arguments", "Options").index(t)
                            if t in ("Arguments", "Options") else 2):
            with formatter.section(title):
                formatter.write_dl(sections[title])


# Typer's type labels, as click and most tools name a value instead.
_TYPE_NAMES = {"<str>": "TEXT", "<list[str]>": "TEXT", "<int>": "N", "<int range>": "N",
               "<list[int]>": "N", "<path>": "PATH", "<float>": "NUMBER"}
_TYPE = re.compile(r"<(?:list\[)?[a-z ]+\]?>")


def _plain_type(param: Any, name: str) -> str:
    """`--title TEXT`, `--jobs N`, `-o PATH`; an argument by its own name (`QUERY...`)
    rather than `QUERY <list[str]>`. Choices stay listed (`<table|json|csv>`)."""
    if param.param_type_name == "argument" and param.metavar is not None:
        bare = _TYPE.sub("", name).rstrip()
        return bare + ("..." if param.nargs != 1 and not bare.endswith("...") else "")
    return _TYPE.sub(lambda m: _TYPE_NAMES.get(m.group(0), m.group(0)), name)


class PlainHelpCommand(_PlainHelp, TyperCommand):
    """A command whose `--help` needs no rich."""


class PlainHelpGroup(_PlainHelp, TyperGroup):
    """A command group whose `--help` needs no rich (its commands are listed after the
    options)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command with its whole first paragraph (click cuts it at one line)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                text = command.short_help or inspect.cleandoc(command.help or "")
                rows.append((name, " ".join(text.partition("\n\n")[0].split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def plain_help(app: Any) -> None:
    """Make every command of a Typer app (and of its sub-apps) a `PlainHelpCommand`."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = PlainHelpCommand
    for group in app.registered_groups:
        plain_help(group.typer_instance)
