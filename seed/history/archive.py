"""The Office of the Historian's archives, read safely: as shipped (`.tar.gz`) or unpacked.

Each archive is a `git archive` of one of the Office's repositories (pocom, travels, visits,
rdcr, gsh) at one commit. It is untrusted input, so:

- nothing is ever extracted: members are read into memory, within size limits;
- a member whose path is absolute or leaves its folder, a link, a device or anything else
  that is not a regular file is never read: it is left out and listed in `skipped`;
- XML is parsed by defusedxml with DTDs forbidden, so an entity-expansion bomb or an
  external entity is refused before anything is expanded or fetched;
- the dataset is told from the files the archive holds, not from its name.

Every fault is an `ArchiveError` naming the member and the reason.
"""

from __future__ import annotations

import gzip
import os
import re
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

# The Office's repositories, each known by files that only it has (paths inside its folder).
DATASETS: dict[str, tuple[str, ...]] = {
    "pocom": (r"missions-countries/[^/]+\.xml", r"people/[^/]+/[^/]+\.xml"),
    "travels": (r"(president|secretary)-travels/[^/]+\.xml",),
    "visits": (r"data/[0-9]{4}\.xml",),
    "rdcr": (r"articles/[^/]+\.xml",),
    "gsh": (r"data/territories/[^/]+\.xml", r"data/countries-old/[^/]+\.xml"),
}
# The archives Bilateral ships, one per dataset, loaded by default.
SHIPPED = Path(__file__).parent.parent / "data" / "us-diplomatic-history"
# An archive's name: its dataset and the commit it was made from ("pocom-44d2226df6b2").
_NAME = re.compile(r"(?P<dataset>[a-z]+)-(?P<commit>[0-9a-f]{7,40})")
# Far above the largest archive (pocom: 5,000 files, 40 MB unpacked); a gzip bomb stops here.
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024


class ArchiveError(Exception):
    """An archive that cannot be read: which member (None for the archive as a whole) and why."""

    def __init__(self, reason: str, member: str | None = None) -> None:
        super().__init__(reason if member is None else f"{member}: {reason}")
        self.reason = reason
        self.member = member


@dataclass(frozen=True)
class Skipped:
    """A member left unread, and why."""

    member: str
    reason: str


@dataclass
class Archive:
    """One archive's files, in memory, by path inside its folder ("people/a/adams-john.xml")."""

    source: Path
    dataset: str
    commit: str | None  # the commit it was made from, as its name or its tar header gives it
    license: str | None  # LICENSE.md, where the archive has one
    files: dict[str, bytes]
    skipped: list[Skipped] = field(default_factory=list)

    def names(self, folder: str) -> list[str]:
        """The XML files directly in a folder ("data/territories"), sorted."""
        prefix = folder.rstrip("/") + "/"
        return sorted(
            name
            for name in self.files
            if name.startswith(prefix) and "/" not in name[len(prefix) :] and name.endswith(".xml")
        )

    def xml(self, name: str) -> Element:
        """A member parsed as XML; ArchiveError if it is missing, not well-formed or holds a
        DTD (where entities, and with them bombs and external references, are declared)."""
        if name not in self.files:
            raise ArchiveError("no such file in the archive", name)
        return parse_xml(self.files[name], name)

    def documents(self, folder: str) -> Iterator[tuple[str, Element]]:
        """Each XML file directly in a folder, parsed, by name."""
        for name in self.names(folder):
            yield name, self.xml(name)


def shipped(dataset: str) -> Path:
    """The archive of a dataset that Bilateral ships (the newest, should there be several)."""
    found = sorted(SHIPPED.glob(f"{dataset}-*.tar.gz"))
    if not found:
        raise ArchiveError(f"no archive of {dataset} in {SHIPPED}")
    return found[-1]


def is_archive(path: Path) -> bool:
    """Whether a path looks like an archive to read with `open_archive` (a folder or a tar),
    rather than a seed file or a Wikidata release."""
    return path.is_dir() or path.name.endswith((".tar.gz", ".tgz", ".tar"))


def parse_xml(data: bytes, member: str) -> Element:
    """XML parsed without expanding or fetching anything; ArchiveError naming the member."""
    try:
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise ArchiveError(
            f"refused: {type(error).__name__} (entities are not read)", member
        ) from None
    except ParseError as error:
        raise ArchiveError(
            f"not well-formed XML ({error}); is the file truncated?", member
        ) from None
    return root


def open_archive(path: Path) -> Archive:
    """Read an archive of the Office of the Historian: a `.tar.gz` as shipped or its unpacked
    folder. ArchiveError if it cannot be read or is not one of the five datasets."""
    if path.is_dir():
        (files, skipped), header = _read_folder(path), None
    elif path.is_file():
        files, skipped, header = _read_tar(path)
    else:
        raise ArchiveError(f"{path} is neither a file nor a folder")
    files = _without_root_folder(files)
    dataset = _dataset(files, path)
    license_text = files.get("LICENSE.md")
    return Archive(
        source=path,
        dataset=dataset,
        commit=_commit(path, header),
        license=None if license_text is None else license_text.decode("utf-8", "replace"),
        files=files,
        skipped=skipped,
    )


def _unsafe(name: str) -> str | None:
    """Why a member's path may not be read, if it may not."""
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("\\") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    if ".." in path.parts:
        return "a path that leaves its folder"
    return None


def _read_tar(path: Path) -> tuple[dict[str, bytes], list[Skipped], str | None]:
    files: dict[str, bytes] = {}
    skipped: list[Skipped] = []
    total = 0
    member_name: str | None = None
    try:
        with tarfile.open(path, "r:*") as tar:
            header = tar.pax_headers.get("comment")
            for member in tar:
                member_name = member.name
                if member.isdir():
                    continue
                reason = _unsafe(member.name)
                if reason is None and not member.isfile():
                    reason = "not a regular file (a link or a device)"
                if reason is None and member.size > MAX_MEMBER_BYTES:
                    reason = f"larger than {MAX_MEMBER_BYTES} bytes"
                if reason is not None:
                    skipped.append(Skipped(member.name, reason))
                    continue
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveError(f"unpacks to more than {MAX_TOTAL_BYTES} bytes", member.name)
                content = tar.extractfile(member)
                assert content is not None  # a regular file always has content
                data = content.read()
                if len(data) != member.size:
                    raise ArchiveError("the archive is truncated", member.name)
                files[member.name] = data
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, OSError) as error:
        where = member_name if member_name is not None else path.name
        raise ArchiveError(
            f"cannot be read: the archive is truncated or damaged ({error})", where
        ) from None
    return files, skipped, header


def _read_folder(path: Path) -> tuple[dict[str, bytes], list[Skipped]]:
    files: dict[str, bytes] = {}
    skipped: list[Skipped] = []
    total = 0
    # Links are never followed: a linked folder is not walked into, a linked file not read.
    for folder, folders, names in os.walk(path, followlinks=False):
        here = Path(folder)
        for name in sorted(folders):
            if (here / name).is_symlink():
                skipped.append(Skipped((here / name).relative_to(path).as_posix(), "a link"))
        for name in sorted(names):
            found = here / name
            member = found.relative_to(path).as_posix()
            if found.is_symlink():
                skipped.append(Skipped(member, "a link"))
            elif not found.is_file():
                skipped.append(Skipped(member, "not a regular file (a device or a pipe)"))
            else:
                size = found.stat().st_size
                total += size
                if size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                    raise ArchiveError("too large to read", member)
                files[member] = found.read_bytes()
    return files, skipped


def _without_root_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files by path inside the repository's folder: `git archive` puts them all in one."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        return {name.split("/", 1)[1]: data for name, data in files.items()}
    return files


def _dataset(files: dict[str, bytes], path: Path) -> str:
    """Which of the five datasets the files are, from the files themselves."""
    found = [
        name
        for name, markers in DATASETS.items()
        if all(any(re.fullmatch(marker, member) for member in files) for marker in markers)
    ]
    if len(found) != 1:
        kinds = ", ".join(DATASETS)
        raise ArchiveError(
            f"not an archive of the Office of the Historian ({kinds}): {path.name} holds none of their files"
            if not found
            else f"{path.name} holds the files of several datasets ({', '.join(found)})"
        )
    named = _NAME.fullmatch(_stem(path))
    if named is not None and named["dataset"] in DATASETS and named["dataset"] != found[0]:
        raise ArchiveError(f"{path.name} is named for {named['dataset']} but holds {found[0]}")
    return found[0]


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".tar.gz", ".tgz", ".tar"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _commit(path: Path, header: str | None) -> str | None:
    """The commit an archive was made from: in its name, else in the header `git archive` writes."""
    named = _NAME.fullmatch(_stem(path))
    if named is not None:
        return named["commit"]
    if header is not None and re.fullmatch(r"[0-9a-f]{40}", header):
        return header[:12]
    return None
