"""Reading one release of database-of-embassies' file: every line checked, every fault listed.

The file is `;`-separated with one header line and no quoting; several values in one
field are separated by `|`, with their Wikidata IDs in the same order in the next field.
The header ends in `;`; the 2022-11-16 release's rows do not, so both are accepted.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
import re
from dataclasses import dataclass
from pathlib import Path

from db.partial_date import PartialDate

COLUMNS = (
    "operator",
    "operatorQID",
    "jurisdictions",
    "jurisdictionQIDs",
    "country",
    "countryQID",
    "city",
    "cityQID",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "facebook",
    "twitter",
    "youtube",
    "picture",
    "pictureAuthor",
    "pictureLicense",
    "pictureLicenseURL",
    "type",
    "typeQID",
    "creation",
    "QID",
)
HEADER = ";".join(COLUMNS)
_ENTITY = re.compile(r"https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T00:00:00Z")
_DATED_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
MAX_FAULTS = 50


class ReleaseError(Exception):
    """The file is not a release of this format, or some of its lines are malformed."""

    def __init__(self, faults: list[str]) -> None:
        super().__init__("\n".join(faults))
        self.faults = faults


@dataclass(frozen=True)
class Item:
    """A Wikidata item as the file names it: its ID and its English label."""

    qid: str
    label: str


@dataclass(frozen=True)
class Post:
    """One row of the file: a post, its place, its contacts and what it covers."""

    line: int
    text: str  # the row as written, to tell a repeated row from a conflicting one
    qid: str
    operator: Item
    country: Item
    jurisdictions: tuple[Item, ...]
    city: Item | None
    address: str | None
    latitude: float | None
    longitude: float | None
    phone: str | None
    email: str | None
    website: str | None
    facebook: str | None
    twitter: str | None
    youtube: str | None
    type: Item
    creation: PartialDate | None


def open_text(path: Path) -> str:
    """A file's text, read as UTF-8, uncompressed first when its name ends in .gz."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def is_release(first_line: str) -> bool:
    """Whether a file's first line is this format's header."""
    return first_line.rstrip("\r").rstrip(";") == HEADER


def release_date(path: Path) -> dt.date | None:
    """The date in a release's file name (database_of_embassies-2022-11-16.csv), if any."""
    found = _DATED_NAME.search(path.name)
    if found is None:
        return None
    try:
        return dt.date.fromisoformat(found.group(1))
    except ValueError:
        return None


def creation_date(timestamp: str) -> PartialDate:
    """A founding date at no more precision than the file supports.

    Wikidata's timestamps come without their precision here, and a date known only to the
    year or month is stored as its first day: so the 1st of January is read as a year and
    any other 1st as a month.
    """
    found = _TIMESTAMP.fullmatch(timestamp)
    if found is None:
        raise ValueError(f"not a timestamp such as 1975-01-01T00:00:00Z: {timestamp[:40]!r}")
    year, month, day = found.groups()
    text = (
        year
        if (month, day) == ("01", "01")
        else f"{year}-{month}"
        if day == "01"
        else found.group(0)[:10]
    )
    return PartialDate.parse(text)


class _Line:
    """The fields of one line, read one by one; each fault is noted with the column it is in."""

    def __init__(self, number: int, fields: list[str], faults: list[str]) -> None:
        self.number = number
        self.values = dict(zip(COLUMNS, fields, strict=True))
        self.faults = faults

    def fault(self, column: str, message: str) -> None:
        self.faults.append(f"line {self.number}, {column}: {message}")

    def text(self, column: str) -> str | None:
        return self.values[column].strip() or None

    def qid(self, column: str, value: str) -> str | None:
        found = _ENTITY.fullmatch(value.strip())
        if found is None:
            self.fault(column, f"not a Wikidata entity URL: {value[:60]!r}")
            return None
        return found.group(1)

    def item(self, label_column: str, qid_column: str) -> Item | None:
        url = self.text(qid_column)
        if url is None:
            if self.text(label_column) is not None:
                self.fault(qid_column, "a label without its Wikidata ID")
            return None
        qid = self.qid(qid_column, url)
        return None if qid is None else Item(qid, self.text(label_column) or qid)

    def required(self, label_column: str, qid_column: str) -> Item | None:
        found = self.item(label_column, qid_column)
        if found is None and self.text(qid_column) is None:
            self.fault(qid_column, "is empty")
        return found

    def items(self, label_column: str, qid_column: str) -> tuple[Item, ...]:
        labels, urls = self.values[label_column], self.values[qid_column]
        if not urls.strip():
            return ()
        label_list, url_list = labels.split("|"), urls.split("|")
        if len(label_list) != len(url_list):
            self.fault(qid_column, f"{len(url_list)} IDs for {len(label_list)} labels")
            return ()
        found = [
            (self.qid(qid_column, url), label)
            for label, url in zip(label_list, url_list, strict=True)
        ]
        return tuple(Item(qid, label.strip() or qid) for qid, label in found if qid is not None)

    def coordinate(self, column: str, limit: float) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fault(column, f"not a number: {value[:40]!r}")
            return None
        if not math.isfinite(number) or abs(number) > limit:
            self.fault(column, f"{value} is outside -{limit:g} to {limit:g}")
            return None
        return number

    def creation(self) -> PartialDate | None:
        value = self.text("creation")
        if value is None:
            return None
        try:
            return creation_date(value)
        except ValueError as error:
            self.fault("creation", str(error))
            return None


def _post(line: _Line, raw: str) -> Post | None:
    before = len(line.faults)
    qid_url = line.text("QID")
    qid = line.qid("QID", qid_url) if qid_url else None
    if qid_url is None:
        line.fault("QID", "is empty")
    operator = line.required("operator", "operatorQID")
    country = line.required("country", "countryQID")
    kind = line.required("type", "typeQID")
    latitude = line.coordinate("latitude", 90)
    longitude = line.coordinate("longitude", 180)
    if (latitude is None) != (longitude is None) and len(line.faults) == before:
        line.fault(
            "longitude" if longitude is None else "latitude", "one coordinate without the other"
        )
    post = Post(
        line=line.number,
        text=raw,
        qid=qid or "",
        operator=operator or Item("", ""),
        country=country or Item("", ""),
        jurisdictions=line.items("jurisdictions", "jurisdictionQIDs"),
        city=line.item("city", "cityQID"),
        address=line.text("address"),
        latitude=latitude,
        longitude=longitude,
        phone=line.text("phone"),
        email=(line.text("email") or "").removeprefix("mailto:") or None,
        website=line.text("website"),
        facebook=line.text("facebook"),
        twitter=line.text("twitter"),
        youtube=line.text("youtube"),
        type=kind or Item("", ""),
        creation=line.creation(),
    )
    return post if len(line.faults) == before else None


def parse_release(text: str) -> list[Post]:
    """Every row of a release, in file order; ReleaseError lists every malformed line."""
    lines = text.split("\n")
    if not is_release(lines[0]):
        raise ReleaseError(
            [f"line 1: not a database-of-embassies header; it should read {HEADER[:60]}…"]
        )
    posts: list[Post] = []
    faults: list[str] = []
    for number, raw in enumerate(lines[1:], start=2):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        fields = raw.split(";")
        if len(fields) == len(COLUMNS) + 1 and fields[-1] == "":
            fields.pop()  # the trailing ';' the header has
        if len(fields) != len(COLUMNS):
            faults.append(
                f"line {number}: {len(fields)} fields where {len(COLUMNS)} were expected "
                "(a truncated line, or a ';' inside a value)"
            )
            continue
        post = _post(_Line(number, fields, faults), raw)
        if post is not None:
            posts.append(post)
    if faults:
        shown = faults[:MAX_FAULTS]
        if len(faults) > MAX_FAULTS:
            shown.append(f"… and {len(faults) - MAX_FAULTS} more")
        raise ReleaseError(shown)
    return posts
