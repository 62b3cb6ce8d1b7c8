"""What `pip install .` ships: every package of the source tree (an editable install finds
them all anyway, so only this test notices a package left out of pyproject.toml)."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "catalog").rglob("__init__.py")}
    assert found - listed == set()


def test_every_data_file_is_shipped() -> None:
    """Templates, styles and vocabularies: each file of the tree that is not Python is
    matched by the package data of its package."""
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]
    unshipped = []
    for path in (ROOT / "catalog").rglob("*"):
        if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        owner = path.parent
        while not (owner / "__init__.py").exists():
            owner = owner.parent
        package = ".".join(owner.relative_to(ROOT).parts)
        inside = path.relative_to(owner).as_posix()
        if not any(fnmatch(inside, pattern) for pattern in data.get(package, [])):
            unshipped.append(str(path.relative_to(ROOT)))
    assert unshipped == []
