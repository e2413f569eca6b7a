"""Countries: lookup by code, the ISO list, their posts and relations."""

import pytest
from conftest import GraphQL


async def test_country_is_found_by_alpha2_or_alpha3_code_in_any_case(data: GraphQL) -> None:
    for code in ("MY", "my", "MYS", "mYs"):
        found = await data("query($c: String!) { country(code: $c) { code alpha3 name } }", c=code)
        assert found["country"] == {"code": "MY", "alpha3": "MYS", "name": "Malaysia"}


async def test_unknown_country_code_is_null(data: GraphQL) -> None:
    assert (await data('{ country(code: "XX") { name } }'))["country"] is None


async def test_every_iso_country_and_kosovo_are_listed(data: GraphQL) -> None:
    found = await data("{ countries(first: 0) { totalCount } }")
    assert found["countries"]["totalCount"] == 249 + 1
    kosovo = await data('{ country(code: "XK") { alpha3 name wikidata } }')
    assert kosovo["country"] == {"alpha3": "XKX", "name": "Kosovo", "wikidata": "Q1246"}


async def test_a_country_is_found_by_its_wikidata_ids(data: GraphQL) -> None:
    found = await data(
        '{ belgium: country(code: "Q31") { code wikidata }'
        ' kingdom: country(code: "q29999") { code wikidata }'
        ' ministry: country(code: "Q1155502") { code }'
        ' nothing: country(code: "Q1") { code } }'
    )
    assert found == {
        "belgium": {"code": "BE", "wikidata": "Q31"},
        "kingdom": {"code": "NL", "wikidata": "Q55"},
        "ministry": None,  # a government's item names a state's government, not the state
        "nothing": None,
    }


async def test_countries_are_searched_by_name(data: GraphQL) -> None:
    found = await data('{ countries(search: "luxem") { nodes { code } } }')
    assert found["countries"]["nodes"] == [{"code": "LU"}]


async def test_country_lists_its_posts_abroad_and_the_posts_it_hosts(data: GraphQL) -> None:
    found = await data(
        """{ country(code: "BE") {
              embassies { name }
              missions { name kind }
              honorary: missions(kind: [HONORARY_CONSULATE]) { name }
              hostedMissions { name country { code } }
        } }"""
    )
    belgium = found["country"]
    assert belgium["embassies"] == [{"name": "Embassy of Belgium, Kuala Lumpur"}]
    assert belgium["missions"] == [
        {"name": "Embassy of Belgium, Kuala Lumpur", "kind": "EMBASSY"},
        {"name": "Honorary Consulate of Belgium, Penang", "kind": "HONORARY_CONSULATE"},
    ]
    assert belgium["honorary"] == [{"name": "Honorary Consulate of Belgium, Penang"}]
    assert belgium["hostedMissions"] == [
        {"name": "Embassy of Malaysia, Brussels", "country": {"code": "MY"}}
    ]


async def test_malaysia_has_relations_with_belgium_and_france(data: GraphQL) -> None:
    found = await data('{ country(code: "MY") { relations { countries { code } } } }')
    pairs = [[c["code"] for c in r["countries"]] for r in found["country"]["relations"]]
    # And with Luxembourg: Malaysia's embassy in Brussels is accredited to it (issue 26: a
    # relation wherever a post, an accreditation or an event links two countries).
    assert pairs == [["BE", "MY"], ["FR", "MY"], ["LU", "MY"]]


async def test_country_events_are_those_it_is_involved_in(data: GraphQL) -> None:
    found = await data('{ country(code: "FR") { events { totalCount nodes { date } } } }')
    events = found["country"]["events"]
    assert events["totalCount"] == 5
    assert [event["date"] for event in events["nodes"]] == [
        "2023-06",
        "2023-10",
        "2024-01-24",
        "2024-12",
        "2024-12-08",
    ]


async def test_a_country_is_named_in_the_language_asked_for(data: GraphQL) -> None:
    found = await data(
        """{ country(code: "BE") { nl: name(lang: "nl") fr: name(lang: "fr")
            de: name(lang: "de") ms: name(lang: "ms") en: name brazil: name(lang: "pt-BR") }
            malaysia: country(code: "MY") { name(lang: "fr") } }"""
    )
    assert found["country"] == {
        "nl": "België",
        "fr": "Belgique",
        "de": "Belgien",
        "ms": "Belgium",  # Malay writes it as English does
        "en": "Belgium",
        "brazil": "Bélgica",
    }
    assert found["malaysia"] == {"name": "Malaisie"}


async def test_an_unknown_language_is_a_bad_user_input_error(graphql: GraphQL) -> None:
    body = await graphql('{ country(code: "BE") { name(lang: "xx") } }')
    [error] = body["errors"]
    assert error["message"] == (
        "Argument 'lang' is not a language with translated country names: 'xx'."
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("words", ["Belgique", "België", "belgie"])
async def test_a_country_is_found_by_its_name_in_any_language(data: GraphQL, words: str) -> None:
    found = await data("query($q: String!) { countries(search: $q) { nodes { code } } }", q=words)
    assert {"code": "BE"} in found["countries"]["nodes"]


async def test_malaisie_finds_malaysia(data: GraphQL) -> None:
    found = await data('{ search(text: "Malaisie") { nodes { ... on Country { code } } } }')
    assert {"code": "MY"} in found["search"]["nodes"]


async def test_a_country_has_the_codes_researchers_join_on(data: GraphQL) -> None:
    found = await data('{ country(code: "056") { identifiers { scheme value } } }')
    assert found["country"]["identifiers"] == [
        {"scheme": "GLEDITSCH_WARD", "value": "211"},
        {"scheme": "ISO_ALPHA2", "value": "BE"},
        {"scheme": "ISO_ALPHA3", "value": "BEL"},
        {"scheme": "ISO_NUMERIC", "value": "056"},
        {"scheme": "WIKIDATA", "value": "Q31"},
    ]


async def test_a_code_of_another_scheme_needs_the_scheme_where_codes_collide(
    data: GraphQL,
) -> None:
    found = await data(
        """{ iso: country(code: "840") { code }
            gw: country(code: "840", scheme: GLEDITSCH_WARD) { code }
            wikidata: country(code: "Q833", scheme: WIKIDATA) { code }
            none: country(code: "BE", scheme: GLEDITSCH_WARD) { code } }"""
    )
    assert found == {
        "iso": {"code": "US"},
        "gw": {"code": "PH"},
        "wikidata": {"code": "MY"},
        "none": None,
    }
