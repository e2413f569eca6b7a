"""The Office of the Historian's *Travels* of presidents and secretaries of state abroad, read
into event records: one trip (one row per country visited) is one event between the United
States and that country, with the traveller as a participant in his or her role.

A traveller is named by the Office's id (`who`), the id pocom gives the same person, except
where the reviewed table below says otherwise.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from db.models.enums import EventKind
from seed.history.archive import Archive
from seed.history.event_records import (
    HOME,
    SITE,
    EventRecord,
    Mention,
    Records,
    period,
    read_rows,
    text_of,
)

DATASET = "travels"
TITLE = "Travels Abroad of the President and the Secretary of State"
REPOSITORY = "https://github.com/HistoryAtState/travels"
FOLDERS = {"president-travels": "President", "secretary-travels": "Secretary of State"}
ROLES = {"president": "President", "secretary": "Secretary of State"}

# Travellers whose id in travels is not pocom's id for the same person. Reviewed by hand
# against pocom's people (name, birth and death years); None: pocom has no record of this
# person, and the id pocom gives is someone else's (so it must not be matched).
POCOM_IDS: dict[str, str | None] = {
    # George H. W. Bush: pocom lists him as representative to the UN and chief of the
    # liaison office in Beijing under his full name.
    "bush-george-h-w": "bush-george-herbert-walker",
    # pocom's taft-william-howard is William Howard Taft III (1915–1991), ambassador to
    # Ireland, the president's grandson.
    "taft-william-howard": None,
}


def traveller_id(who: str, role: str) -> str | None:
    """pocom's id of a traveller: the table's where it has one, else the same id for a
    secretary of state (all in pocom), none for a president pocom does not list."""
    if who in POCOM_IDS:
        return POCOM_IDS[who]
    return who if role == "secretary" else None


def page_of(role: str, who: str) -> str:
    """A traveller's list of trips on history.state.gov."""
    return f"{SITE}/departmenthistory/travels/{role}/{who}"


def read_travels(archive: Archive) -> Records:
    """Every trip of the archive, or RecordsError listing what cannot be read."""
    return read_rows(
        archive,
        DATASET,
        list(FOLDERS),
        "trip",
        _trip,
        lambda r: (r.people, r.date, r.end_date, r.territory, r.place_name, r.summary),
    )


def _trip(path: str, trip: Element, problems: list[str]) -> EventRecord | None:
    record_id = text_of(trip.find("id"))
    where = f"{path} trip {record_id or '?'}"
    role = trip.get("role") or text_of(trip.find("role"))
    who = trip.get("who") or ""
    name = text_of(trip.find("name"))
    country = trip.find("country")
    territory = "" if country is None else (country.get("id") or "").strip()
    start, end = period(
        text_of(trip.find("start-date")), text_of(trip.find("end-date")), where, problems
    )
    missing = [
        label
        for label, value in (
            ("id", record_id),
            ("role", role),
            ("who", who),
            ("name", name),
            ("country id", territory),
        )
        if not value
    ]
    if missing:
        problems.append(f"{where}: no {', '.join(missing)}")
    if role and role not in ROLES:
        problems.append(f"{where}: unknown role {role!r}")
    if missing or start is None or role not in ROLES:
        return None
    locale = text_of(trip.find("locale")) or None
    label = text_of(country) or territory
    title = f"{ROLES[role]} {name} in {locale + ', ' if locale else ''}{label}"
    return EventRecord(
        dataset=DATASET,
        record_id=record_id,
        path=path,
        title=title,
        kind=EventKind.TRIP,
        date=start,
        end_date=end,
        territory=territory,
        summary=text_of(trip.find("remarks")),
        url=page_of(role, who),
        place_name=locale,
        place_territory=territory,
        people=(Mention(name, ROLES[role], traveller_id(who, role), HOME),),
    )
