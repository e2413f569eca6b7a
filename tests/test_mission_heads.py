"""Posts: who headed them when, where they were, what they are accredited to."""

from conftest import Failing, GraphQL

BRUSSELS = """query($asOf: PartialDate) { country(code: "MY") { embassies {
    head(asOf: $asOf) { person { name } title ordinal start end ongoing }
} } }"""


async def _head_in_brussels(data: GraphQL, as_of: str | None) -> dict[str, object] | None:
    found = await data(BRUSSELS, asOf=as_of)
    head: dict[str, object] | None = found["country"]["embassies"][0]["head"]
    return head


async def test_head_in_1975_is_peter_stephen_lai(data: GraphQL) -> None:
    head = await _head_in_brussels(data, "1975")
    assert head == {
        "person": {"name": "Peter Stephen Lai"},
        "title": "Ambassador",
        "ordinal": 1,
        "start": "1975",
        "end": None,
        "ongoing": False,
    }


async def test_head_as_of_a_year_the_data_does_not_cover_is_null(data: GraphQL) -> None:
    assert await _head_in_brussels(data, "2000") is None


async def test_head_today_is_mohd_khalid_abbasi_abdul_razak(data: GraphQL) -> None:
    head = await _head_in_brussels(data, None)
    assert head is not None and head["person"] == {"name": "Mohd Khalid Abbasi Abdul Razak"}
    assert head["ongoing"] is True and head["start"] == "2023-10"


async def test_today_after_a_year_is_still_today(data: GraphQL) -> None:
    """One server, the same query: a date given, then none. Compiled SQL has one shape for
    both, and today's date must not be read as the year's nor as nothing."""
    assert await _head_in_brussels(data, "2000") is None
    head = await _head_in_brussels(data, None)
    assert head is not None and head["person"] == {"name": "Mohd Khalid Abbasi Abdul Razak"}


async def test_head_known_only_on_one_day_is_found_on_that_day_only(data: GraphQL) -> None:
    query = """query($asOf: PartialDate) { country(code: "BE") { embassies {
        head(asOf: $asOf) { person { name } inOfficeOn } } } }"""
    found = await data(query, asOf="2022-03-18")
    assert found["country"]["embassies"][0]["head"] == {
        "person": {"name": "Pascal Gregoire"},
        "inOfficeOn": "2022-03-18",
    }
    later = await data(query, asOf="2024")
    assert later["country"]["embassies"][0]["head"] is None


async def test_heads_are_listed_in_order_of_tenure(data: GraphQL) -> None:
    found = await data('{ country(code: "MY") { embassies { heads { person { name } } } } }')
    names = [head["person"]["name"] for head in found["country"]["embassies"][0]["heads"]]
    assert names == ["Peter Stephen Lai", "Mohd Khalid Abbasi Abdul Razak"]


async def test_embassy_moved_to_avenue_de_tervueren_in_1982(data: GraphQL) -> None:
    found = await data(
        """{ country(code: "MY") { embassies {
            before: address(asOf: "1981") after: address(asOf: "1982") now: address
            addresses { address city from to }
        } } }"""
    )
    embassy = found["country"]["embassies"][0]
    assert embassy["before"] == "Avenue Franklin Roosevelt"
    assert embassy["after"] == embassy["now"] == "Avenue de Tervueren"
    assert embassy["addresses"] == [
        {"address": "Avenue Franklin Roosevelt", "city": "Brussels", "from": "1975", "to": "1982"},
        {"address": "Avenue de Tervueren", "city": "Brussels", "from": "1982", "to": None},
    ]


async def test_brussels_embassy_is_accredited_to_belgium_luxembourg_and_the_eu(
    data: GraphQL,
) -> None:
    found = await data(
        """{ country(code: "MY") { embassies { accreditations { target {
            __typename ... on Country { code } ... on Organization { name kind } } } } } }"""
    )
    targets = [item["target"] for item in found["country"]["embassies"][0]["accreditations"]]
    assert targets == [
        {"__typename": "Country", "code": "BE"},
        {"__typename": "Country", "code": "LU"},
        {
            "__typename": "Organization",
            "name": "European Union",
            "kind": "INTERNATIONAL_ORGANIZATION",
        },
    ]


async def test_penang_honorary_consulate_opened_in_2022_with_its_consul(data: GraphQL) -> None:
    found = await data(
        """{ missions(kind: [HONORARY_CONSULATE]) { nodes {
            name city opened country { code } hostCountry { code }
            head(asOf: "2022-03-18") { title person { name } }
            sources { title section }
        } } }"""
    )
    assert found["missions"]["nodes"] == [
        {
            "name": "Honorary Consulate of Belgium, Penang",
            "city": "Penang",
            "opened": "2022-03-18",
            "country": {"code": "BE"},
            "hostCountry": {"code": "MY"},
            "head": {"title": "Honorary Consul", "person": {"name": "Michel Van Crombrugge"}},
            "sources": [{"title": "Belgium–Malaysia relations", "section": "Political relations"}],
        }
    ]


async def test_malformed_as_of_date_is_an_error_naming_the_argument(error: Failing) -> None:
    for bad in ("2022-13", "1957-02-30", "soon"):
        message = await error(
            '{ country(code: "MY") { embassies { head(asOf: "DATE") { title } } } }'.replace(
                "DATE", bad
            )
        )
        assert "'asOf'" in message and bad in message


async def test_malformed_date_in_a_variable_is_an_error(error: Failing) -> None:
    message = await error(BRUSSELS, asOf="2022-13")
    assert "asOf" in message and "no month 13" in message
