"""Data-quality issues: what an editor should look at, listed by kind with counts."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from db import quality
from schema.connection import Connection, page_window
from schema.context import Info
from schema.enums import QualityIssueKind

if TYPE_CHECKING:
    from schema.types.node import Node

NodeRef = Annotated["Node", strawberry.lazy("schema.types.node")]


@strawberry.type(description="Something in the record an editor should look at.")
class QualityIssue:
    issue: strawberry.Private[quality.QualityIssue]
    kind: QualityIssueKind = strawberry.field(description="What sort of issue this is.")
    message: str = strawberry.field(description="What is wrong, in a sentence.")

    @classmethod
    def of(cls, issue: quality.QualityIssue) -> "QualityIssue":
        return cls(issue=issue, kind=issue.kind, message=issue.message)

    @classmethod
    def listed(cls, issues: list[quality.QualityIssue]) -> list["QualityIssue"]:
        return [cls.of(issue) for issue in issues]

    @strawberry.field(description="The object the issue is about: a post, a tenure or an event.")
    async def subject(self, info: Info) -> NodeRef:
        from schema.nodes import load_refs

        [found] = await load_refs(info, [(self.issue.subject_type, self.issue.subject_id)])
        assert found is not None
        return found


@strawberry.type(description="How many issues of one kind the record has.")
class QualityIssueCount:
    kind: QualityIssueKind = strawberry.field(description="The kind of issue.")
    count: int = strawberry.field(description="How many there are.")


@strawberry.type(description="A page of data-quality issues, by kind and then by object.")
class QualityIssueConnection(Connection[QualityIssue]):
    pass


CURSOR_NAME = "qualityIssues"  # what this connection's cursors carry


async def issue_connection(
    info: Info,
    kinds: list[quality.QualityIssueKind] | None,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> QualityIssueConnection:
    """One page of the issues of some kinds (all by default), between cursors."""
    window = page_window(CURSOR_NAME, 3, first, after, last, before)
    issues = await quality.find_issues(info.context.loaders.reader, kinds=kinds)
    between = [
        (index, issue)
        for index, issue in enumerate(issues)
        if (window.after is None or issue.key > tuple(window.after))
        and (window.before is None or issue.key < tuple(window.before))
    ]
    taken = between[::-1] if window.from_end else between  # read in the window's order
    page = window.page(
        [(index, issue) for index, issue in taken[: window.size + 1]], lambda row: row[1].key
    )

    async def load(ids: Sequence[int]) -> list[QualityIssue]:
        return [QualityIssue.of(issues[index]) for index in ids]

    async def total() -> int:
        return len(issues)

    return QualityIssueConnection(page=page, name=CURSOR_NAME, load_nodes=load, load_total=total)
