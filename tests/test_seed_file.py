"""The article's seed file, and how the reader reports a file that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from seed.document import SeedDocument, SeedError, parse_document, read_document

SEED_FILE = Path(__file__).parent.parent / "seed" / "data" / "belgium-malaysia.yaml"
ARTICLE = Path("/work/shared/seed/000_daf7d29c904c5938.txt")
EMBASSY = "Embassy of Malaysia, Brussels"
FIRST_EVENT = "Belgium and Malaysia establish diplomatic relations"


@pytest.fixture(scope="module")
def document() -> SeedDocument:
    return read_document(SEED_FILE)


@pytest.fixture
def raw() -> dict[str, Any]:
    """The shipped file as YAML data, fresh for each test to change."""
    loaded: dict[str, Any] = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    return loaded


def entry(raw: dict[str, Any], plural: str, name: str) -> tuple[int, dict[str, Any]]:
    """The index and data of the entry of this list with this name (or title)."""
    for index, item in enumerate(raw[plural]):
        if name in (item.get("name"), item.get("title")):
            return index, item
    raise LookupError(f"{plural} has no entry {name!r}")


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(SeedError) as error:
        parse_document(raw)
    assert str(error.value) == "\n".join(error.value.problems)
    return error.value.problems


def involved(document: SeedDocument, title: str) -> set[str]:
    """The countries an event involves, by the rule in seed/README.md."""
    event = next(item for item in document.events if item.title == title)
    people = {item.name: item.country for item in document.people}
    organizations = {item.name: item.country for item in document.organizations}
    missions = {item.name: {item.country, item.host} for item in document.missions}
    found: set[str | None] = set(event.countries)
    for participant in event.participants:
        if participant.kind == "country":
            found.add(participant.ref)
        elif participant.kind == "mission":
            found |= missions[participant.ref]
        else:
            found.add((people if participant.kind == "person" else organizations)[participant.ref])
    return {country for country in found if country is not None}


# The shipped file


def test_the_shipped_file_holds_the_articles_nineteen_events(document: SeedDocument) -> None:
    assert len(document.events) == 19


def test_the_shipped_file_holds_three_missions(document: SeedDocument) -> None:
    assert [mission.name for mission in document.missions] == [
        EMBASSY,
        "Embassy of Belgium, Kuala Lumpur",
        "Honorary Consulate of Belgium, Penang",
    ]


def test_the_shipped_file_cites_the_article(document: SeedDocument) -> None:
    assert document.source.title == "Belgium–Malaysia relations"


def test_both_quotes_are_the_articles_words_verbatim(document: SeedDocument) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    quotes = [(quote.speaker, quote.text) for event in document.events for quote in event.quotes]
    assert [speaker for speaker, _ in quotes] == ["Silvana Flagothier", "Rafidah Aziz"]
    assert [f'"{text}"' in article for _, text in quotes] == [True, True]


@pytest.mark.parametrize(
    "title",
    [
        "PEGASUS 23",
        "MALFRENCH DAGGERT",
        "First session of the Malaysia-France Defence Joint High Strategic Committee",
        "French Minister for Armed Forces Sebastien Lecornu visits Malaysia",
        "French delegation visits Subang Air Base",
    ],
)
def test_a_france_malaysia_event_involves_france_and_malaysia_but_not_belgium(
    document: SeedDocument, title: str
) -> None:
    assert involved(document, title) == {"FR", "MY"}


def test_only_the_five_france_malaysia_events_involve_france(document: SeedDocument) -> None:
    assert sum("FR" in involved(document, event.title) for event in document.events) == 5


def test_every_entry_names_the_section_of_the_article_that_states_it(
    document: SeedDocument,
) -> None:
    entries: list[Any] = [
        *document.relations,
        *document.organizations,
        *document.people,
        *(position for person in document.people for position in person.positions),
        *document.missions,
        *(item for mission in document.missions for item in mission.addresses),
        *(item for mission in document.missions for item in mission.accreditations),
        *(item for mission in document.missions for item in mission.heads),
        *document.events,
    ]
    assert [item for item in entries if not item.section] == []


def test_the_gregoire_tenure_keeps_its_own_section_over_its_missions(
    document: SeedDocument,
) -> None:
    kuala_lumpur = document.missions[1]
    assert (kuala_lumpur.section, kuala_lumpur.heads[0].section) == (
        "Diplomatic missions",
        "Political relations",
    )


def test_a_file_that_is_not_yaml_is_reported_as_unreadable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("events: [unclosed", encoding="utf-8")
    with pytest.raises(SeedError, match="cannot be read as YAML"):
        read_document(broken)


# Faults, each reported with the entry and field at fault


def test_an_unknown_country_code_is_reported_at_the_missions_host(raw: dict[str, Any]) -> None:
    index, mission = entry(raw, "missions", EMBASSY)
    mission["host"] = "XX"
    assert problems_of(raw) == [f"missions[{index}] \"{EMBASSY}\".host: unknown country code 'XX'"]


def test_a_thirteenth_month_is_reported_at_the_events_date(raw: dict[str, Any]) -> None:
    index, event = entry(raw, "events", FIRST_EVENT)
    event["date"] = "2022-13"
    assert problems_of(raw) == [
        f'events[{index}] "{FIRST_EVENT}".date: malformed date: "2022-13" has no month 13'
    ]


def test_an_unquoted_year_is_reported_as_a_number_to_quote(raw: dict[str, Any]) -> None:
    index, event = entry(raw, "events", FIRST_EVENT)
    event["date"] = 1957
    assert problems_of(raw) == [
        f'events[{index}] "{FIRST_EVENT}".date: must be a quoted date such as "1957", not a number'
    ]


def test_a_head_who_is_not_among_the_people_is_reported(raw: dict[str, Any]) -> None:
    index, mission = entry(raw, "missions", EMBASSY)
    mission["heads"][0]["person"] = "Nobody"
    assert problems_of(raw) == [
        f'missions[{index}] "{EMBASSY}".heads[0].person: '
        'refers to person "Nobody", which the file does not define'
    ]


def test_a_participant_organization_the_file_does_not_define_is_reported(
    raw: dict[str, Any],
) -> None:
    title = "Tun Abdul Razak tours the Belgian Navy mine school"
    index, event = entry(raw, "events", title)
    event["participants"][1]["organization"] = "Belgian Army"
    assert problems_of(raw) == [
        f'events[{index}] "{title}".participants[1].organization: '
        'refers to organization "Belgian Army", which the file does not define'
    ]


def test_a_quote_by_a_speaker_the_file_does_not_define_is_reported(raw: dict[str, Any]) -> None:
    title = "Walloon trade mission seeks Malaysian joint-venture partners"
    index, event = entry(raw, "events", title)
    event["quotes"][0]["speaker"] = "S. Flagothier"
    assert problems_of(raw) == [
        f'events[{index}] "{title}".quotes[0].speaker: '
        'refers to person "S. Flagothier", which the file does not define'
    ]


def test_a_misspelt_field_is_reported_as_not_a_field_of_the_entry(raw: dict[str, Any]) -> None:
    index, mission = entry(raw, "missions", EMBASSY)
    mission["opend"] = mission.pop("opened")
    assert problems_of(raw) == [
        f'missions[{index}] "{EMBASSY}".opend: is not a field of this entry'
    ]


def test_an_address_that_ends_before_it_starts_is_reported_at_its_end(
    raw: dict[str, Any],
) -> None:
    index, mission = entry(raw, "missions", EMBASSY)
    mission["addresses"][0]["to"] = "1970"
    assert problems_of(raw) == [
        f'missions[{index}] "{EMBASSY}".addresses[0].to: 1970 is before the start 1975'
    ]


def test_two_ongoing_heads_at_one_mission_are_reported_by_name(raw: dict[str, Any]) -> None:
    index, mission = entry(raw, "missions", EMBASSY)
    mission["heads"][0]["ongoing"] = True
    assert problems_of(raw) == [
        f'missions[{index}] "{EMBASSY}".heads: more than one tenure is ongoing: '
        "Peter Stephen Lai, Mohd Khalid Abbasi Abdul Razak"
    ]


def test_a_person_defined_twice_is_reported_at_the_second(raw: dict[str, Any]) -> None:
    raw["people"].append(dict(raw["people"][0]))
    assert problems_of(raw) == [
        f'people[{len(raw["people"]) - 1}] "Peter Stephen Lai": another person has this name'
    ]


def test_an_event_without_a_summary_is_reported_as_missing_one(raw: dict[str, Any]) -> None:
    index, event = entry(raw, "events", FIRST_EVENT)
    del event["summary"]
    assert problems_of(raw) == [f'events[{index}] "{FIRST_EVENT}".summary: is required']


def test_every_fault_in_a_file_is_reported_in_one_error(raw: dict[str, Any]) -> None:
    entry(raw, "missions", EMBASSY)[1]["host"] = "XX"
    entry(raw, "events", FIRST_EVENT)[1]["date"] = "2022-13"
    del entry(raw, "events", "PEGASUS 23")[1]["summary"]
    raw["people"].append(dict(raw["people"][0]))
    assert len(problems_of(raw)) == 4
