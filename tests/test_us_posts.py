"""The US's posts since 1776 from the Office of the Historian's gazetteer (gsh): small cuts of
the real archive imported into the app's database, with pocom's chiefs on the same posts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import GraphQL
from starlette.applications import Starlette
from test_chiefs_of_mission import cut, load, unpack

from db.session import make_sessions
from seed.history.archive import ArchiveError, open_archive
from seed.history.imports import run_import
from seed.history.posts import PostsReport


@pytest.fixture(scope="module")
def gsh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped gsh archive, unpacked once, to cut small releases from."""
    return unpack("gsh", tmp_path_factory)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pocom archive, unpacked once."""
    return unpack("pocom", tmp_path_factory)


def gsh_cut(gsh: Path, into: Path, *posts: str) -> Path:
    """A gsh release with only these posts (and every territory and locale)."""
    release = into / "gsh"
    shutil.copytree(gsh, release, ignore=shutil.ignore_patterns("posts"))
    (release / "data" / "posts").mkdir()
    for post in posts:
        shutil.copy(gsh / "data" / "posts" / f"{post}.xml", release / "data" / "posts")
    return release


async def import_gsh(app: Starlette, release: Path) -> PostsReport:
    report = await run_import(make_sessions(app.state.engine), open_archive(release))
    assert isinstance(report, PostsReport)
    return report


US_IN_BELGIUM = """{ country(code: "BE") { hostedMissions {
  kind name city opened closed historianId historianPostId country { code }
  heads { person { name } } } } }"""


async def test_posts_of_the_past_come_in_with_their_years_and_chiefs_head_the_same_post(
    app: Starlette, data: GraphQL, gsh: Path, unpacked: Path, tmp_path: Path
) -> None:
    release = gsh_cut(gsh, tmp_path / "g", "brussels", "antwerp", "ghent", "conakry", "conakry-fix")
    report = await import_gsh(app, release)
    assert (report.created, report.merged) == (4, 0)
    assert [s.reason.split(":")[0] for s in report.skipped] == ["repeated post"]
    await load(app, cut(unpacked, tmp_path / "p", "belgium"))
    posts = {
        m["historianPostId"]: m
        for m in (await data(US_IN_BELGIUM))["country"]["hostedMissions"]
        if m["country"]["code"] == "US"
    }
    assert set(posts) == {"brussels", "antwerp", "ghent"}  # one post per place, no duplicate
    brussels = posts["brussels"]
    assert brussels["historianId"] == "belgium" and brussels["city"] == "Brussels"
    assert len(brussels["heads"]) == 64 and brussels["opened"] == "1832"
    assert posts["ghent"]["kind"] in ("CONSULATE", "CONSULAR_AGENCY")
    assert posts["ghent"]["closed"] is not None
    again = await import_gsh(app, release)
    assert (again.created, again.updated, again.merged, again.unchanged) == (0, 0, 0, 4)


async def test_a_post_of_an_unknown_type_imports_nothing(
    app: Starlette, data: GraphQL, gsh: Path, tmp_path: Path
) -> None:
    release = gsh_cut(gsh, tmp_path, "brussels", "antwerp")
    path = release / "data" / "posts" / "antwerp.xml"
    text = path.read_text()
    path.write_text(text.replace("<post-type>", "<post-type>x", 1))
    with pytest.raises(ArchiveError, match="unknown post type"):
        await import_gsh(app, release)
    answer = await data('{ country(code: "BE") { hostedMissions { historianPostId } } }')
    assert all(m["historianPostId"] is None for m in answer["country"]["hostedMissions"])
