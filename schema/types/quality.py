"""Data-quality issues: what an editor should look at, listed by kind with counts."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import quality
from db.pages import Page
from schema.connection import Connection, decode_cursor, page_size
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


async def issue_connection(
    info: Info,
    kinds: list[quality.QualityIssueKind] | None,
    first: int | None,
    after: str | None,
) -> QualityIssueConnection:
    """One page of the issues of some kinds (all by default), after a cursor."""
    size = page_size(first)
    cursor = decode_cursor("qualityIssues", after, 3)
    issues = await quality.find_issues(info.context.loaders.reader, kinds=kinds)
    start = 0 if cursor is None else sum(1 for issue in issues if issue.key <= tuple(cursor))
    chosen = issues[start : start + size]
    page = Page(
        ids=list(range(start, start + len(chosen))),
        keys=[issue.key for issue in chosen],
        has_next=start + size < len(issues),
    )

    async def load(ids: object) -> list[QualityIssue]:
        return [QualityIssue.of(issues[index]) for index in ids]  # type: ignore[attr-defined]

    async def total() -> int:
        return len(issues)

    return QualityIssueConnection(
        page=page,
        name="qualityIssues",
        has_previous=cursor is not None,
        load_nodes=load,
        load_total=total,
    )
