"""The Office of the Historian's archives are read safely: small crafted archives, each with
one fault, are refused or have the faulty member left out, and nothing is written."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from seed.history.archive import ArchiveError, open_archive

SHIPPED = Path(__file__).parent.parent / "seed" / "data" / "us-diplomatic-history"
TERRITORY = b"<territory><id>texas</id><short-form-name>Texas</short-form-name></territory>"
OLD = b"<country><id>texas</id><label>Texas</label></country>"

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<territory><id>&lol3;</id></territory>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE territory [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<territory><id>&secret;</id></territory>"""


def _tar(path: Path, members: dict[str, bytes], *, root: str = "gsh") -> Path:
    """A gzipped tar of these files inside `root`, as `git archive --prefix` writes it."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"{root}/{name}" if root else name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _gsh(**extra: bytes) -> dict[str, bytes]:
    return {
        "LICENSE.md": b"CC0",
        "data/territories/texas.xml": TERRITORY,
        "data/countries-old/texas.xml": OLD,
        **extra,
    }


def test_every_shipped_archive_is_its_dataset_with_its_commit_and_licence() -> None:
    found = {}
    for path in sorted(SHIPPED.glob("*.tar.gz")):
        archive = open_archive(path)
        found[archive.dataset] = archive.commit
        assert archive.license is not None and "public domain" in archive.license
        assert archive.skipped == []
    assert found == {
        "gsh": "c8aea3fec913",
        "pocom": "44d2226df6b2",
        "rdcr": "f3c53549557d",
        "travels": "3170c773f22c",
        "visits": "869ca4f0e8d1",
    }


def test_an_unpacked_folder_reads_as_its_archive(tmp_path: Path) -> None:
    folder = tmp_path / "gsh-0123456789ab" / "gsh"
    for name, data in _gsh().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "data" / "territories" / "linked.xml").symlink_to("/etc/passwd")
    (folder / "data" / "countries-old" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    archive = open_archive(tmp_path / "gsh-0123456789ab")
    assert (archive.dataset, archive.commit) == ("gsh", "0123456789ab")
    assert archive.names("data/territories") == ["data/territories/texas.xml"]
    assert archive.xml("data/territories/texas.xml").findtext("id") == "texas"
    assert sorted(s.member for s in archive.skipped) == [
        "gsh/data/countries-old/elsewhere",
        "gsh/data/territories/linked.xml",
    ]


def test_the_dataset_comes_from_the_contents_not_the_name(tmp_path: Path) -> None:
    visits = {"data/1990.xml": b"<visits/>"}
    archive = open_archive(_tar(tmp_path / "anything.tar.gz", visits, root="visits"))
    assert archive.dataset == "visits"
    with pytest.raises(ArchiveError, match="named for pocom but holds visits"):
        open_archive(_tar(tmp_path / "pocom-0123456789ab.tar.gz", visits, root="visits"))


def test_an_archive_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = _tar(tmp_path / "gsh-0123456789ab.tar.gz", {"README.md": b"hello"}, root="other")
    with pytest.raises(ArchiveError, match="not an archive of the Office of the Historian"):
        open_archive(path)
    text = tmp_path / "notes.tar.gz"
    text.write_text("not a tar at all")
    with pytest.raises(ArchiveError, match="truncated or damaged"):
        open_archive(text)


@pytest.mark.parametrize(
    ("content", "reason"), [(BOMB, "EntitiesForbidden|DTDForbidden"), (EXTERNAL, "Forbidden")]
)
def test_entities_are_refused_without_being_expanded(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    archive = open_archive(
        _tar(tmp_path / "gsh.tar.gz", _gsh(**{"data/territories/bomb.xml": content}))
    )
    with pytest.raises(ArchiveError, match=reason) as raised:
        list(archive.documents("data/territories"))
    assert raised.value.member == "data/territories/bomb.xml"


def test_members_outside_the_folder_links_and_devices_are_never_read(tmp_path: Path) -> None:
    path = tmp_path / "gsh.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in _gsh().items():
            info = tarfile.TarInfo(f"gsh/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name in ("gsh/../../escaped.xml", "/tmp/absolute.xml"):
            info = tarfile.TarInfo(name)
            info.size = len(TERRITORY)
            tar.addfile(info, io.BytesIO(TERRITORY))
        link = tarfile.TarInfo("gsh/data/territories/link.xml")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
        device = tarfile.TarInfo("gsh/data/territories/device.xml")
        device.type = tarfile.CHRTYPE
        tar.addfile(device)
    archive = open_archive(path)
    assert {s.member: s.reason for s in archive.skipped} == {
        "gsh/../../escaped.xml": "a path that leaves its folder",
        "/tmp/absolute.xml": "an absolute path",
        "gsh/data/territories/link.xml": "not a regular file (a link or a device)",
        "gsh/data/territories/device.xml": "not a regular file (a link or a device)",
    }
    assert archive.names("data/territories") == ["data/territories/texas.xml"]
    assert not (tmp_path.parent / "escaped.xml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gsh.tar.gz"]


def test_a_truncated_archive_names_the_member_it_stopped_in(tmp_path: Path) -> None:
    whole = (SHIPPED / "visits-869ca4f0e8d1.tar.gz").read_bytes()
    cut = tmp_path / "visits-869ca4f0e8d1.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ArchiveError, match="truncated") as raised:
        open_archive(cut)
    assert raised.value.member is not None and raised.value.member.startswith("visits/data/")


def test_a_truncated_xml_file_names_the_file(tmp_path: Path) -> None:
    cut = TERRITORY[: len(TERRITORY) // 2]
    archive = open_archive(_tar(tmp_path / "gsh.tar.gz", _gsh(**{"data/territories/cut.xml": cut})))
    with pytest.raises(ArchiveError, match="not well-formed XML") as raised:
        archive.xml("data/territories/cut.xml")
    assert raised.value.member == "data/territories/cut.xml"
    assert str(raised.value).startswith("data/territories/cut.xml: ")
