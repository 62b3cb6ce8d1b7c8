"""Query terms that look like short options stay query terms.

The query language negates with a leading `-` (`-warning:mcd`), and a command line parser
reads `-fandom:x` as `-f andom:x`, or `catalog export -oneshot` as `-o neshot`: every
work silently written to a file named `neshot`. For a command that takes a QUERY, an
argument of a single `-` and two or more characters that is not exactly one of its
options is a query term. The arguments are put in the order the parser cannot misread:
options first, then `--`, then every query term as typed (`--` itself keeps working).
"""

from __future__ import annotations

from typing import Any

QUERY_PARAM = "query"
_HELP = {"-h": False, "--help": False}


def install(command: Any) -> None:
    """Guard every command under `command` that has a QUERY argument."""
    if any(getattr(p, "name", None) == QUERY_PARAM and p.param_type_name == "argument"
           for p in getattr(command, "params", ())):
        _guard(command)
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def _guard(command: Any) -> None:
    parse = command.parse_args

    def parse_args(ctx: Any, args: list[str]) -> list[str]:
        return parse(ctx, reordered(args, _takes_value(command)))  # type: ignore[no-any-return]

    command.parse_args = parse_args


def _takes_value(command: Any) -> dict[str, bool]:
    """Each option name of the command, and whether it takes a value."""
    names = dict(_HELP)
    for param in command.params:
        if param.param_type_name != "option":
            continue
        value = not (param.is_flag or param.count)
        for name in (*param.opts, *param.secondary_opts):
            names[name] = value
    return names


def reordered(args: list[str], options: dict[str, bool]) -> list[str]:
    """Options (with their values) first, then `--` and the query terms in their order."""
    front: list[str] = []
    terms: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--":
            terms.extend(it)
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in options:
            front.append(arg)
            value = next(it, None) if options[name] and "=" not in arg else None
            if value is not None:
                front.append(value)
        elif arg.startswith("--") or (arg.startswith("-") and len(arg) == 2):
            front.append(arg)  # an unknown option: the parser says so
        else:
            terms.append(arg)
    return front + (["--", *terms] if terms else [])
