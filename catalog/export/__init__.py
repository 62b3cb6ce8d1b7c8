"""Records out: one record builder shared by `list`, `show` and `export`, and the formats."""
