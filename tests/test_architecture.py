"""The layer rules, read from the source (ast): imports flow one way.

    cli, server (the shells) -> the Catalogue facade
        -> ingest, query, export, wrangle, curate, check -> store
        -> the bottom layer (model, layers, fields, errors, textnorm, wordcount, vocab, config,
           sanitize, markdown, readable)

Nothing imports the shell; readers import neither the store nor query; migration scripts
import no application code (they carry their own data); and no two packages import each
other, counting imports inside functions too (a function-local import hides a cycle from
the interpreter, not from the design). The shell reaches the layers below only through the
facade (and the bottom layer's records and helpers).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "catalog"

# A module's layer is that of the longest prefix listed here.
LAYERS: dict[str, int] = {
    "catalog": 0,  # the package's face: hands on names lazily (PEP 562), imports nothing
    "catalog.model": 0, "catalog.layers": 0, "catalog.fields": 0, "catalog.errors": 0,
    "catalog.textnorm": 0, "catalog.wordcount": 0, "catalog.vocab": 0, "catalog.config": 0,
    "catalog.vocabularies": 0, "catalog.htmlparse": 0, "catalog.sanitize": 0,
    "catalog.markdown": 0, "catalog.readable": 0, "catalog.storyurl": 0,
    "catalog.store": 1,
    "catalog.ingest": 2, "catalog.query": 2, "catalog.export": 2, "catalog.wrangle": 2,
    "catalog.check": 2, "catalog.curate": 2,
    "catalog.catalogue": 3,
    "catalog.cli": 4, "catalog.server": 4, "catalog.__main__": 4,
}
SHELL = 4



def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every catalog module `name` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        yield from (t for t in targets if t == "catalog" or t.startswith("catalog."))


def _layer(module: str) -> int | None:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")),
               key=len, default=None)
    return None if best is None else LAYERS[best]


def _unit(module: str) -> str:
    """The package a module belongs to for the cycle rule (catalog.ingest.readers.text ->
    catalog.ingest), or the module itself at the top."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _known(module: str) -> bool:
    """Whether `module` names a module of this tree (a `from x import name` also yields
    x.name, which is a module only sometimes)."""
    rel = Path(*module.split("."))
    return (ROOT / rel).with_suffix(".py").exists() or (ROOT / rel / "__init__.py").exists()


def _edges() -> set[tuple[str, str]]:
    return {(name, target) for name, path in _modules() for target in _imports(name, path)
            if _known(target) and target != name}


def _breaches(edges: set[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for importer, imported in _edges() if edges is None else edges:
        low, high = _layer(importer), _layer(imported)
        assert low is not None and high is not None, (importer, imported)
        if importer == "catalog":
            continue  # the face hands the public names on, lazily
        if high == SHELL and low != SHELL:
            found.add((importer, imported))
        elif high > low:
            found.add((_unit(importer), _unit(imported)))
        if ".ingest.readers" in importer and _unit(imported) in (
                "catalog.store", "catalog.store", "catalog.query"):
            found.add((importer, _unit(imported)))
    return found


def _cycles(edges: set[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
    """Pairs of packages that reach each other through imports."""
    graph: dict[str, set[str]] = {}
    for importer, imported in _edges() if edges is None else edges:
        a, b = _unit(importer), _unit(imported)
        if a != b and "catalog" not in (a, b):
            graph.setdefault(a, set()).add(b)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {unit: reach(unit) for unit in graph}
    return {(a, b) for a in graph for b in graph[a] if a in reached.get(b, set())}


def test_every_module_has_a_layer() -> None:
    assert [name for name, _ in _modules() if _layer(name) is None] == []


def test_imports_flow_down_the_layers() -> None:
    assert _breaches() == set()


def test_no_two_packages_import_each_other() -> None:
    assert _cycles() == set()


def test_the_shells_go_through_the_facade() -> None:
    """The command line and the web server alike."""
    reached = {(importer, _unit(imported)) for importer, imported in _edges()
               if _layer(importer) == SHELL
               and _layer(imported) not in (0, LAYERS["catalog.catalogue"], SHELL)}
    assert reached == set(), "shells reaching past the facade"


def test_the_server_does_not_import_the_command_line() -> None:
    assert {i for i, t in _edges() if i.startswith("catalog.server")
            and t.startswith("catalog.cli")} == set()


def _unexplained_local_imports(path: Path) -> list[int]:
    """Lines of imports inside functions with no comment saying why, on the import or
    on the line above its group of imports."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for sub in ast.walk(node):
            if not isinstance(sub, ast.Import | ast.ImportFrom):
                continue
            row = sub.lineno - 1
            while row > 0 and (not lines[row - 1].strip()
                               or lines[row - 1].lstrip().startswith(("from ", "import "))):
                row -= 1  # the top of this block of imports (blank lines between groups)
            said = any("#" in line for line in lines[row - 1:sub.end_lineno])
            if not said:
                found.append(sub.lineno)
    return found


def test_imports_inside_functions_say_why() -> None:
    """A function-local import hides a dependency, so each says why it is there (start-up,
    an optional input's library, a cycle a package's face cannot avoid)."""
    found = {name: lines for name, path in _modules()
             if (lines := _unexplained_local_imports(path))}
    assert found == {}


def test_migration_scripts_import_no_application_code() -> None:
    found = [f"{script.name}: {target}"
             for script in sorted((ROOT / "migrations" / "versions").glob("*.py"))
             for target in _imports("migrations.versions." + script.stem, script)]
    assert found == []


def test_the_rules_catch_a_breach(tmp_path: Path) -> None:
    """The checker itself: an import inside a function, and a relative one, are seen, and
    each lands in its layer and package."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from catalog.ingest.resolve import resolve\n"
                      "from . import engine\n", encoding="utf-8")
    assert sorted(_imports("catalog.store.m", module)) == [
        "catalog.ingest.resolve", "catalog.ingest.resolve.resolve", "catalog.store",
        "catalog.store.engine"]
    assert _layer("catalog.store.m") == 1 and _layer("catalog.ingest.resolve") == 2
    assert _unit("catalog.ingest.readers.text") == "catalog.ingest"
    assert _breaches({("catalog.store.store", "catalog.ingest.resolve"),
                      ("catalog.query.compiler", "catalog.cli.app"),
                      ("catalog.ingest.readers.text", "catalog.query.search"),
                      ("catalog.ingest.writer", "catalog.store.store")}) == {
        ("catalog.store", "catalog.ingest"), ("catalog.query.compiler", "catalog.cli.app"),
        ("catalog.ingest.readers.text", "catalog.query")}
    assert _cycles({("catalog.query.a", "catalog.wrangle.b"),
                    ("catalog.wrangle.c", "catalog.export.d"),
                    ("catalog.export.e", "catalog.query.f"),
                    ("catalog.ingest.g", "catalog.query.h")}) == {
        ("catalog.query", "catalog.wrangle"), ("catalog.wrangle", "catalog.export"),
        ("catalog.export", "catalog.query")}
    module.write_text("def g():\n    # the ORM only where needed\n    import sqlalchemy.orm\n"
                      "    import json\n\n\ndef h():\n    import csv\n", encoding="utf-8")
    assert _unexplained_local_imports(module) == [8]
