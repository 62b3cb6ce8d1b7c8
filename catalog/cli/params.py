"""Option values converted without pydantic when that is trivially right.

Typer (0.2x and later) converts every option value, the defaults of options not given
included, through a pydantic `TypeAdapter` it builds for the parameter on first use.
Importing pydantic and building an adapter for each of `list`'s twenty-odd options costs
more than the rest of a `catalog list`. `install` gives each parameter a converter that
handles the plain cases itself: a missing value, a string, a non-negative integer
literal within the parameter's bounds, an exact enum value, a bool, a list of those. Any
other value (and so every invalid one) goes to Typer's own converter, built then, so
results and error messages are Typer's. On a Typer without per-parameter converters
`install` does nothing.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, get_args, get_origin

_UNHANDLED = object()
_INT = re.compile(r"(?:0|[1-9][0-9]{0,17})")


def install(command: Any) -> None:
    """Give the parameters of `command` and of all its subcommands the fast converter
    (the help option, made on demand, gets it from `catalog.cli.help`)."""
    for param in getattr(command, "params", ()):
        install_param(param)
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def install_param(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and getattr(param, "_runtime_param", False) is None:
        param._runtime_param = FastConverter(descriptor)


class FastConverter:
    """Typer's `RuntimeParam.coerce` for plain values; anything else is delegated."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.annotation = descriptor.annotation
        self.info = descriptor.parameter_info

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        converted = self._convert(self.annotation, value, ctx)
        if converted is not _UNHANDLED:
            return converted
        param._runtime_param = None  # Typer builds its own converter and keeps it
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)

    def _convert(self, annotation: Any, value: Any, ctx: Any) -> Any:
        if get_origin(annotation) is list:
            (item,) = get_args(annotation) or (None,)
            if item is None or not isinstance(value, list | tuple):
                return _UNHANDLED
            items = [self._convert(item, v, ctx) for v in value]
            return _UNHANDLED if any(v is _UNHANDLED for v in items) else items
        if self.info.parser is not None:
            return _UNHANDLED
        if annotation is str:
            return value if isinstance(value, str) else _UNHANDLED
        if annotation is bool:
            return value if isinstance(value, bool) else _UNHANDLED
        if annotation is int:
            return self._int(value)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return self._choice(annotation, value, ctx)
        return _UNHANDLED

    def _int(self, value: Any) -> Any:
        if isinstance(value, str) and _INT.fullmatch(value):
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _UNHANDLED
        low, high = self.info.min, self.info.max
        if (low is not None and number < low) or (high is not None and number > high):
            return _UNHANDLED  # Typer clamps or says why
        return number

    def _choice(self, enum: type[Enum], value: Any, ctx: Any) -> Any:
        if isinstance(value, enum):
            return value
        if (not isinstance(value, str) or not self.info.case_sensitive
                or getattr(ctx, "token_normalize_func", None) is not None):
            return _UNHANDLED
        for member in enum:
            if str(member.value) == value:
                return member
        return _UNHANDLED
