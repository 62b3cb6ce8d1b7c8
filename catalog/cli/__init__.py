"""The command line: one small module per command, each parsing options, calling the core
and rendering; `app.main` turns known errors into `error: …` and a non-zero exit."""
