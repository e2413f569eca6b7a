"""PostGraphile's answers, put in the API's shape for the benchmark's equivalence check."""

from bench.postgraphile import normalise


def test_a_participant_is_whichever_of_person_organization_or_country_is_there() -> None:
    data = {
        "benchPairEvents": {
            "nodes": [
                {
                    "participationsByEventId": {
                        "nodes": [
                            {
                                "role": "host",
                                "personByPersonId": None,
                                "organizationByOrganizationId": None,
                                "countryByCountryId": {"name": "Gambia"},
                            },
                            {
                                "role": None,
                                "personByPersonId": None,
                                "organizationByOrganizationId": None,
                                "countryByCountryId": None,
                            },
                        ]
                    }
                }
            ]
        }
    }
    assert normalise("q3", data) == {
        "events": {
            "nodes": [
                {
                    "participants": [
                        {"role": "host", "participant": {"name": "Gambia"}},
                        {"role": None, "participant": {}},
                    ]
                }
            ]
        }
    }


def test_q5_is_put_in_q1s_shape_and_a_missing_country_is_null() -> None:
    assert normalise("q5", {"countryByCode": None}) == {"country": None}
    country = {
        "countryByCode": {
            "missionsByCountryId": {
                "nodes": [
                    {
                        "headOfMissionsByMissionId": {
                            "nodes": [
                                {"start": "2001", "end": None, "personByPersonId": {"name": "A"}}
                            ]
                        }
                    }
                ]
            }
        }
    }
    assert normalise("q1", country) == {
        "country": {
            "embassies": [{"heads": [{"start": "2001", "end": None, "person": {"name": "A"}}]}]
        }
    }
