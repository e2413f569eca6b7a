"""What an import of the Office of the Historian did with each row of a release."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Skip:
    """A row not imported, or a fault noticed in a row kept, and why."""

    path: str
    record_id: str
    reason: str  # its text up to the first colon is its kind, as `reasons` counts them


@dataclass
class ImportReport:
    """Rows read and what became of each: created, updated, merged into what the database
    had, unchanged, or skipped with a reason; faults noticed in kept rows."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    removed: int = 0  # rows an earlier release gave that this one withdrew
    skipped: list[Skip] = field(default_factory=list)
    notices: list[Skip] = field(default_factory=list)

    def counts(self, what: str) -> str:
        return (
            f"{self.rows} {what} read: {self.created} created, {self.updated} updated, "
            f"{self.merged} merged, {self.unchanged} unchanged, {self.removed} removed, "
            f"{len(self.skipped)} skipped"
        )

    def reasons(self) -> Counter[str]:
        """How many rows were skipped for each kind of reason (the reason up to its colon)."""
        return Counter(skip.reason.split(":")[0] for skip in self.skipped)

    def write(self, path: Path) -> None:
        """Every skipped row, then every fault noticed in a kept row, tab-separated."""
        lines = ["file\trecord\toutcome\treason"]
        lines += [f"{s.path}\t{s.record_id}\tskipped\t{s.reason}" for s in self.skipped]
        lines += [f"{s.path}\t{s.record_id}\tkept\t{s.reason}" for s in self.notices]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
