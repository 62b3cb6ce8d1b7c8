"""What a reader adds to a catalogue and keeps through every re-ingest and round trip:
edits over what files say, reading status, saved searches and the blocklist."""
