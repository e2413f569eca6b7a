// The GraphQL behind each view: one request fetches everything a view shows.
//
// Each stays within the API's limits (depth 12, node estimate 50,000: a connection counts its
// `first`, a plain list the longest list the data holds, multiplied down the path), with all
// the data a first start loads: CountryView is estimated at about 37,400 nodes (the US's 1,240
// posts, each with up to 28 accreditations), RelationView at about 27,900 (up to 214 posts a
// pair, each with up to 73 heads). A head's quality issues are not measured (each counts as a
// list of 20), so only the post view, which shows one post, asks for them. Lists that are
// connections ask for `pageInfo`, so that a view can load the next page with its cursor.

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
  visitType
  dataset
  recordId
  quotes { text date speaker { id name } }
  figures { label value unit }
  sources { title section url }
}`;

const POST_DETAILS = `
fragment PostDetails on Mission {
  id
  kind
  name
  city
  opened
  closed
  location { latitude longitude }
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
    id title ordinal start end ongoing inOfficeOn appointed gapBefore endNote note
    residentIn { code name(lang: $lang) }
    accreditedTo { code name(lang: $lang) }
    person { id name }
  }
  qualityIssues { kind message }
}`;

export const RELATION_VIEW = `
query RelationView($first: String!, $second: String!, $lang: String) {
  first: country(code: $first) { code name(lang: $lang) }
  second: country(code: $second) { code name(lang: $lang) }
  relation(between: [$first, $second]) {
    established
    status
    statusSince
    events(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...EventDetails }
    }
    eventCounts { decade kind count }
    sources { title section url }
    organizations { id name kind }
    missions { ...PostDetails }
  }
}
${POST_DETAILS}
${EVENT_DETAILS}`.trim();

/** A page of a relation's events, after a cursor, optionally of some kinds or years only. */
export const RELATION_EVENTS = `
query RelationEvents(
  $first: String!
  $second: String!
  $after: String
  $filter: EventFilter
  $lang: String
) {
  relation(between: [$first, $second]) {
    events(first: 100, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...EventDetails }
    }
  }
}
${EVENT_DETAILS}`.trim();

const PARTICIPATIONS = `
fragment Participations on ParticipationConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { role event { ...EventDetails } }
}
${EVENT_DETAILS}`;

export const PERSON_VIEW = `
query PersonView($id: ID!, $lang: String) {
  node(id: $id) {
    __typename
    ... on Person {
      name
      born
      died
      careerType
      country { code name(lang: $lang) }
      positions { title start end inOfficeOn }
      headships {
        title
        start
        end
        ongoing
        inOfficeOn
        appointed
        endNote
        note
        residentIn { code name(lang: $lang) }
        accreditedTo { code name(lang: $lang) }
        mission { id name country { code } hostCountry { code name(lang: $lang) } }
      }
      participations(first: 100) { ...Participations }
    }
  }
}
${PARTICIPATIONS}`.trim();

export const ORGANIZATION_VIEW = `
query OrganizationView($id: ID!, $lang: String) {
  node(id: $id) {
    __typename
    ... on Organization {
      name
      kind
      founded
      country { code name(lang: $lang) }
      participations(first: 100) { ...Participations }
    }
  }
}
${PARTICIPATIONS}`.trim();

/** The next page of what a person or an organization took part in, after a cursor. */
export const PARTICIPATION_PAGE = `
query ParticipationPage($id: ID!, $after: String, $lang: String) {
  node(id: $id) {
    ... on Person { participations(first: 100, after: $after) { ...Participations } }
    ... on Organization { participations(first: 100, after: $after) { ...Participations } }
  }
}
${PARTICIPATIONS}`.trim();

/**
 * A country's network: the posts it keeps abroad (with what they are accredited to) and the
 * posts others keep in it, for its map, tables and chart, and its recorded relations.
 */
export const COUNTRY_VIEW = `
query CountryView($code: String!, $lang: String) {
  country(code: $code) {
    code
    name(lang: $lang)
    missions {
      id kind name city opened closed
      location { latitude longitude }
      hostCountry { code name(lang: $lang) }
      accreditations {
        target {
          __typename
          ... on Country { code name(lang: $lang) }
          ... on Organization { id name }
          ... on Jurisdiction { name }
        }
      }
    }
    hostedMissions {
      id kind name city opened closed
      location { latitude longitude }
      country { code name(lang: $lang) }
    }
    relations {
      established
      status
      statusSince
      countries { code name(lang: $lang) }
      events(first: 0) { totalCount }
    }
  }
}`.trim();

/** One post: everything its card shows, where it is, and its sources and contact. */
export const POST_VIEW = `
query PostView($id: ID!, $lang: String) {
  node(id: $id) {
    __typename
    ... on Mission {
      ...PostDetails
      heads { id qualityIssues { kind message } }
      wikidata
      contact { website email phone }
      sources { title section url }
    }
  }
}
${POST_DETAILS}`.trim();

const FOUND = `
fragment Found on SearchResultConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes {
    __typename
    ... on Country { code name(lang: $lang) }
    ... on Mission {
      id missionKind: kind name city
      country { code name(lang: $lang) }
      hostCountry { code name(lang: $lang) }
    }
    ... on Person { id name actsFor: country { code name(lang: $lang) } }
    ... on Organization { id name organizationKind: kind }
    ... on Event {
      id title date eventKind: kind
      participants { participant { __typename ... on Country { code name(lang: $lang) } } }
    }
  }
}`;

/**
 * What the words find: countries whose name or code starts with them, then full-text search,
 * best match first (`kind` and a person's `country` aliased: their types differ from a post's).
 */
export const SEARCH_VIEW = `
query SearchView($text: String!, $lang: String) {
  countries(first: 10, search: $text) { nodes { code name(lang: $lang) } }
  search(text: $text, first: 25) { ...Found }
}
${FOUND}`.trim();

/** The next page of full-text search, after a cursor. */
export const SEARCH_PAGE = `
query SearchPage($text: String!, $after: String, $lang: String) {
  search(text: $text, first: 25, after: $after) { ...Found }
}
${FOUND}`.trim();

/**
 * For the country pickers and the maps: the API gives at most 100 countries a page. A map finds
 * a country's shape by its ISO numeric code, or by its English name where the shape has no code.
 */
export const COUNTRY_PAGE = `
query CountryPage($after: String, $lang: String) {
  countries(first: 100, after: $after) {
    nodes {
      code
      name(lang: $lang)
      english: name
      identifiers { scheme value }
    }
    pageInfo { hasNextPage endCursor }
  }
}`.trim();
