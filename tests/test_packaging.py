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
