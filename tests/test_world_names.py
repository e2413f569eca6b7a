"""The world as people name it: display, ISO, official and other names; names in any language tag."""

import pytest
from conftest import Failing, GraphQL

from db.countries import iso_countries, wikidata_of_countries

NAMES = """{ country(code: "%s") { name isoName officialName knownAs } }"""


@pytest.mark.parametrize(
    ("code", "name", "iso_name"),
    [
        ("PS", "Palestine", "Palestine, State of"),
        ("CD", "Democratic Republic of the Congo", "Congo, The Democratic Republic of the"),
        ("VA", "Vatican City", "Holy See (Vatican City State)"),
        ("BE", "Belgium", "Belgium"),
        ("MY", "Malaysia", "Malaysia"),
    ],
)
async def test_a_country_is_named_as_people_write_it_with_isos_name_beside_it(
    data: GraphQL, code: str, name: str, iso_name: str
) -> None:
    found = (await data(NAMES % code))["country"]
    assert (found["name"], found["isoName"]) == (name, iso_name)
    assert name not in found["knownAs"]


@pytest.mark.parametrize(
    ("code", "other"),
    [
        ("TR", "Türkiye"),
        ("CZ", "Czechia"),
        ("GB", "United Kingdom of Great Britain and Northern Ireland"),
        ("CI", "Côte d'Ivoire"),
        ("MM", "Burma"),
        ("CD", "Zaire"),
    ],
)
async def test_a_country_lists_the_other_names_it_is_known_by(
    data: GraphQL, code: str, other: str
) -> None:
    assert other in (await data(NAMES % code))["country"]["knownAs"]


async def test_the_official_name_is_isos(data: GraphQL) -> None:
    found = (await data(NAMES % "TR"))["country"]
    assert (found["name"], found["officialName"]) == ("Turkey", "Republic of Türkiye")


@pytest.mark.parametrize(
    ("lang", "name"),
    [
        ("en", "Belgium"),
        ("EN", "Belgium"),
        ("en-GB", "Belgium"),
        ("nl", "België"),
        ("NL-be", "België"),
        ("fr-CA", "Belgique"),
        ("pt-br", "Bélgica"),
        ("de-Latn-AT", "Belgien"),
    ],
)
async def test_a_name_in_any_bcp_47_tag_falls_back_along_the_tag(
    data: GraphQL, lang: str, name: str
) -> None:
    query = """query ($lang: String) { country(code: "BE") { name(lang: $lang) } }"""
    assert (await data(query, lang=lang))["country"]["name"] == name


async def test_a_language_with_no_translated_names_is_bad_user_input(error: Failing) -> None:
    message = await error("""{ country(code: "BE") { name(lang: "qqq") } }""")
    assert "lang" in message


@pytest.mark.parametrize(
    ("search", "first"),
    [
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Britain", "GB"),
        ("Ivory Coast", "CI"),
        ("Burma", "MM"),
        ("Swaziland", "SZ"),
        ("Great Britain", "GB"),
        ("Holy See", "VA"),
    ],
)
async def test_countries_are_found_by_the_names_people_know_them_by(
    data: GraphQL, search: str, first: str
) -> None:
    query = """query ($search: String) { countries(search: $search) { nodes { code } } }"""
    nodes = (await data(query, search=search))["countries"]["nodes"]
    assert nodes[0]["code"] == first


async def test_a_countrys_own_name_puts_it_first_in_search(data: GraphQL) -> None:
    query = """query ($text: String!) { search(text: $text, first: 1) {
        nodes { __typename ... on Country { code } } } }"""
    for text, code in (("japan", "JP"), ("Iran", "IR"), ("belgium", "BE"), ("Malaysia", "MY")):
        assert (await data(query, text=text))["search"]["nodes"] == [
            {"__typename": "Country", "code": code}
        ]


async def test_embassies_says_what_it_holds_and_takes_other_kinds(data: GraphQL) -> None:
    query = """{ country(code: "BE") { embassies { kind } all: embassies(kind: [EMBASSY, HIGH_COMMISSION, APOSTOLIC_NUNCIATURE, CONSULATE]) { kind } } }"""
    found = (await data(query))["country"]
    assert {post["kind"] for post in found["embassies"]} == {"EMBASSY"}
    assert len(found["all"]) >= len(found["embassies"])


async def test_an_event_filter_from_after_to_is_bad_user_input(graphql: GraphQL) -> None:
    body = await graphql("""{ events(filter: {from: "2020", to: "2010"}) { totalCount } }""")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "filter.from" in body["errors"][0]["message"]


@pytest.mark.parametrize("text", ["Bruxelles", "Brussel", "brussels"])
async def test_a_city_is_found_by_its_names_in_other_languages(data: GraphQL, text: str) -> None:
    query = """query ($text: String!) { search(text: $text, first: 1) {
        nodes { __typename ... on Mission { name city } } } }"""
    assert (await data(query, text=text))["search"]["nodes"] == [
        {"__typename": "Mission", "name": "Embassy of Malaysia, Brussels", "city": "Brussels"}
    ]


def test_every_country_and_territory_has_a_wikidata_id() -> None:
    ids = wikidata_of_countries()
    assert [country.code for country in iso_countries() if country.code not in ids] == []
    assert len(set(ids.values())) == len(ids)  # no item stands for two


@pytest.mark.parametrize(("code", "qid"), [("FK", "Q9648"), ("AQ", "Q51"), ("GI", "Q1410")])
async def test_a_territory_no_release_names_has_its_wikidata_id_and_is_found_by_it(
    data: GraphQL, code: str, qid: str
) -> None:
    query = """query ($code: String!) { country(code: $code) { code wikidata
        identifiers { scheme value } } }"""
    found = (await data(query, code=code))["country"]
    assert found["wikidata"] == qid
    assert {"scheme": "WIKIDATA", "value": qid} in found["identifiers"]
    assert (await data(query, code=qid))["country"]["code"] == code
