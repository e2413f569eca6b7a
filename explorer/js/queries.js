// The GraphQL behind each view: one request fetches everything a view shows.
//
// Each stays well within the API's limits (depth 12, node estimate 50,000: a connection
// counts its `first`, a plain list 20, multiplied down the path). RelationView is estimated
// at about 9,400 nodes: 100 events × 20 for each of four lists under them, plus the posts.

const EVENT_DETAILS = `
fragment EventDetails on Event {
  id
  title
  kind
  date
  endDate
  summary
  place { name }
  participants {
    role
    participant {
      __typename
      ... on Person { id name }
      ... on Organization { id name }
      ... on Country { code name(lang: $lang) }
      ... on Mission { id name }
    }
  }
  quotes { text date speaker { id name } }
  figures { label value unit }
  sources { title section url }
}`;

export const RELATION_VIEW = `
query RelationView($first: String!, $second: String!, $lang: String) {
  first: country(code: $first) { code name(lang: $lang) }
  second: country(code: $second) { code name(lang: $lang) }
  relation(between: [$first, $second]) {
    established
    sources { title section url }
    organizations { id name kind }
    missions {
      id
      kind
      name
      city
      opened
      closed
      country { code name(lang: $lang) }
      hostCountry { code name(lang: $lang) }
      currentAddress: address
      addresses { address city from to }
      accreditations {
        from
        to
        target {
          __typename
          ... on Country { code name(lang: $lang) }
          ... on Organization { id name }
          ... on Jurisdiction { name wikidata }
        }
      }
      heads {
        id title ordinal start end ongoing inOfficeOn gapBefore person { id name }
        qualityIssues { kind message }
      }
      qualityIssues { kind message }
    }
    events(first: 100) {
      totalCount
      nodes { ...EventDetails }
    }
  }
}
${EVENT_DETAILS}`.trim();

export const PERSON_VIEW = `
query PersonView($id: ID!, $lang: String) {
  node(id: $id) {
    __typename
    ... on Person {
      name
      country { code name(lang: $lang) }
      positions { title start end inOfficeOn }
      headships {
        title
        start
        end
        ongoing
        inOfficeOn
        mission { name country { code } hostCountry { code } }
      }
      participations(first: 100) {
        totalCount
        nodes { role event { ...EventDetails } }
      }
    }
  }
}
${EVENT_DETAILS}`.trim();

export const ORGANIZATION_VIEW = `
query OrganizationView($id: ID!, $lang: String) {
  node(id: $id) {
    __typename
    ... on Organization {
      name
      kind
      founded
      country { code name(lang: $lang) }
      participations(first: 100) {
        totalCount
        nodes { role event { ...EventDetails } }
      }
    }
  }
}
${EVENT_DETAILS}`.trim();

/** Only for the country pickers: the API gives at most 100 countries a page. */
export const COUNTRY_PAGE = `
query CountryPage($after: String, $lang: String) {
  countries(first: 100, after: $after) {
    nodes { code name(lang: $lang) }
    pageInfo { hasNextPage endCursor }
  }
}`.trim();
