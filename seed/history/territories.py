"""The Office of the Historian's territory ids, mapped to Bilateral's countries.

The five archives name countries by the Office's own ids (`belgium`, `congo-kinshasa`,
`czechoslovakia`, `prussia-1918`), and not all the same way: `czechia` and
`czech-republic`, `north-german-union` and `north-german-confederation` are synonyms,
`somoa` is Samoa misspelt. The reviewed table `db/data/historian-territories.tsv` maps every
id the archives use to an ISO 3166-1 country or a former state (db/data/former-states.tsv,
one country per state: `prussia-1871` and `prussia-1918` are both Prussia), or leaves it
unmapped with its reason. Nothing is matched by guesswork: an id the table does not know maps
to nothing, and `unmapped_ids` reports it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element

from db.countries import former_states
from db.partial_date import PartialDate
from seed.history.archive import Archive

TABLE = Path(__file__).parent.parent.parent / "db" / "data" / "historian-territories.tsv"
# gsh writes 9999 for "still exists" and TBD or nothing where it does not know.
_STILL = 9999
_COUNTRY_LINK = re.compile(r"\s*/countries/(?P<id>[a-z0-9-]+)\s*")


@dataclass(frozen=True)
class Territory:
    """One of the Office's territory ids, as the reviewed table maps it."""

    id: str
    country: str | None  # an alpha-2 code or a former state's code; None: deliberately unmapped
    basis: str  # iso-name, reviewed, former-state or unmapped
    note: str  # why, where it is not plain; for an unmapped id, the reason


@cache
def crosswalk() -> dict[str, Territory]:
    """The reviewed table, by the Office's id."""
    found: dict[str, Territory] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        territory, country, basis, note = line.split("\t")
        found[territory] = Territory(territory, country or None, basis, note)
    return found


def country_of(territory: str) -> str | None:
    """The code of the country an id of the Office stands for (BE, CSHH, XPRU); None when the
    table leaves it unmapped or does not know it."""
    found = crosswalk().get(territory.strip())
    return None if found is None else found.country


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]  # rdcr's TEI has a namespace


def _texts(root: Element, tag: str) -> Iterator[str]:
    for element in root.iter():
        if _tag(element) == tag and element.text and element.text.strip():
            yield element.text.strip()


def territory_ids(archive: Archive) -> dict[str, set[str]]:
    """Every territory id an archive uses, with the files that use it."""
    uses: dict[str, set[str]] = defaultdict(set)
    dataset = archive.dataset

    def used(ids: Iterable[str | None], name: str) -> None:
        for territory in ids:
            if territory:
                uses[territory.strip()].add(name)

    if dataset == "pocom":
        for folder in ("missions-countries", "missions-orgs", "concurrent-appointments"):
            for name, root in archive.documents(folder):
                used(_texts(root, "territory-id"), name)
                used(_texts(root, "contemporary-territory-id"), name)
    elif dataset == "travels":
        for folder in ("president-travels", "secretary-travels"):
            for name, root in archive.documents(folder):
                used((e.get("id") for e in root.iter() if _tag(e) == "country"), name)
    elif dataset == "visits":
        for name, root in archive.documents("data"):
            used((e.get("id") for e in root.iter() if _tag(e) == "from"), name)
    elif dataset == "rdcr":
        for name, root in archive.documents("articles"):
            used([name.removeprefix("articles/").removesuffix(".xml")], name)
            links = (_COUNTRY_LINK.fullmatch(e.get("target") or "") for e in root.iter())
            used((link["id"] for link in links if link and link["id"] != "issues"), name)
    elif dataset == "gsh":
        for name, root in archive.documents("data/territories"):
            used(_texts(root, "id"), name)
            used(_texts(root, "predecessor"), name)
            used(_texts(root, "successor"), name)
        for name, root in archive.documents("data/countries-old"):
            used(_texts(root, "id"), name)
        for folder in ("data/posts", "data/locales"):
            for name, root in archive.documents(folder):
                used(_texts(root, "territory-id"), name)
                used(_texts(root, "current-territory-id"), name)
    return dict(uses)


def unmapped_ids(archives: Iterable[Archive]) -> dict[str, str]:
    """The ids these archives use that map to no country, each with the reason: the table's
    for an id it deliberately leaves unmapped, "not in the table" for one it does not know."""
    found: dict[str, str] = {}
    for archive in archives:
        for territory in territory_ids(archive):
            known = crosswalk().get(territory)
            if known is None:
                found[territory] = "not in the table (db/data/historian-territories.tsv)"
            elif known.country is None:
                found[territory] = known.note
    return found


@dataclass
class FormerStateHistory:
    """What gsh says of one former state, over all its territories (one per border change)."""

    code: str
    long_name: str | None = None
    existed_from: PartialDate | None = None
    existed_until: PartialDate | None = None
    predecessors: set[str] = field(default_factory=set)  # country codes
    successors: set[str] = field(default_factory=set)


def _year(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() and int(text) != _STILL else None


def former_state_histories(gsh: Archive) -> dict[str, FormerStateHistory]:
    """Each former state's long name, years and neighbours in time, from a gsh archive.

    A state's years run from the earliest year any of its territories begins to the latest
    one ends; its predecessors and successors are its territories', mapped to countries
    (those the table leaves unmapped drop out, and a state is never its own neighbour).
    """
    codes = {state.code for state in former_states()}
    histories = {code: FormerStateHistory(code) for code in codes}
    spans: dict[str, list[tuple[int | None, int | None, str]]] = defaultdict(list)
    for _, root in gsh.documents("data/territories"):
        code = country_of(root.findtext("id") or "")
        if code not in codes:
            continue
        history = histories[code]
        since, until = _year(root.findtext("valid-since")), _year(root.findtext("valid-until"))
        spans[code].append((since, until, (root.findtext("long-form-name") or "").strip()))
        for tag, linked in (
            ("predecessor", history.predecessors),
            ("successor", history.successors),
        ):
            linked.update(
                found
                for territory in _texts(root, tag)
                if (found := country_of(territory)) is not None and found != code
            )
    for code, span in spans.items():
        history = histories[code]
        starts = [since for since, _, _ in span if since is not None]
        ends = [until for _, until, _ in span if until is not None]
        history.existed_from = PartialDate(f"{min(starts):04d}") if starts else None
        history.existed_until = PartialDate(f"{max(ends):04d}") if ends else None
        # The long form of its latest territory, where that gives one: an earlier one's
        # ("Kingdom of Yugoslavia") would not name the whole state.
        latest = max(span, key=lambda one: (one[1] or 0, one[0] or 0))[2]
        history.long_name = latest or None
    return histories
