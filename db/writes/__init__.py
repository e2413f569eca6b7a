"""Writing: each function checks its input against the data, then writes and logs the change.

One writer per object, for mutations, the seed loader and importers alike:
`actors.write_people`, `missions.write_missions` (a post with its claims, addresses and
accreditations), `missions.write_heads` and `events.write_events` take a batch of records
and return `batch.Written` (each record's row, and what was created, updated or unchanged).
A record with a source's own `key` is matched by it (`batch.Batch`, through the
source_record table), else by natural key. A batch is read and written in a few
statements whatever its size (an import writes thousands of rows); the change log gets
each row it created or changed as `snapshots` shows it, whoever writes: the seed loader's
people, tenures and events, the people and events of history (seed/history/events.py) and
pocom's people and tenures (seed/history/chiefs.py) go through these writers; the posts
importers still write themselves are logged through `Batch`.

Input that is wrong for the data is collected as Problems and raised together as
Rejected before anything is written; the caller's transaction makes it all or nothing.
A fault in sourced data (an end before a start, a second head in office) follows the
edit's policy (`edit.Policy`): a mutation refuses it, an import keeps the row and flags it.
A Problem names its field as the write does (its argument's name, `("host",)`); the
caller says where its own input holds that field.
"""
