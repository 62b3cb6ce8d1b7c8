"""`catalog fields`: every field with its query forms, for people and for machines."""

from __future__ import annotations

import json

from catalog import fields
from catalog.cli.app import app
from tests.conftest import Cli


def test_fields_lists_every_field_with_its_query_forms(cli: Cli) -> None:
    rows = json.loads(cli("fields", "--format", "json").stdout)
    assert [r["field"] for r in rows] == [f.name for f in fields.FIELDS]
    ship = next(r for r in rows if r["field"] == "relationship")
    assert ship["query"] == ["relationship:", "ship:", "pairing:", "relationships:"]
    assert ship["record_key"] == "relationships" and ship["type"] == "tag"
    assert next(r for r in rows if r["field"] == "sha256")["query"] == []
    csv_lines = cli("fields", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "field,type,record_key,query,sortable,example,help"
    assert len(csv_lines) == len(fields.FIELDS) + 1


def test_the_table_fits_80_columns(cli: Cli) -> None:
    out = cli.runner.invoke(app, ["fields"], env={"COLUMNS": "80"}).stdout
    assert "words:1000..5000" in out
    assert max(len(line) for line in out.splitlines()) <= 80
