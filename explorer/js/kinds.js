// Words for the API's enum values. Colours live in style.css, keyed by data-kind.

export const EVENT_KINDS = {
  DIPLOMATIC: "Diplomatic",
  POLITICAL: "Political",
  MILITARY: "Military",
  ECONOMIC: "Economic",
  CULTURAL: "Cultural",
  OTHER: "Other",
  TRIP: "Trip abroad",
  VISIT: "Visit",
  RECOGNITION: "Recognition",
  RELATIONS_ESTABLISHED: "Relations established",
  POST_OPENED: "Post opened",
  RAISED_TO_EMBASSY: "Raised to embassy",
  POST_CLOSED: "Post closed",
  RELATIONS_SEVERED: "Relations severed",
  RELATIONS_RESUMED: "Relations resumed",
  TREATY: "Treaty",
};

/** A visit's or trip's protocol form. */
export const VISIT_TYPES = {
  STATE: "state visit",
  OFFICIAL: "official visit",
  OFFICIAL_WORKING: "official working visit",
  WORKING: "working visit",
  PRIVATE: "private visit",
  INFORMAL: "informal visit",
};

/** Where relations stand, as the sources last tell it. */
export const RELATION_STATUSES = {
  ESTABLISHED: "established",
  SEVERED: "severed",
};

export const MISSION_KINDS = {
  EMBASSY: "Embassy",
  LEGATION: "Legation",
  BRANCH_OFFICE: "Branch office",
  HIGH_COMMISSION: "High commission",
  CONSULATE_GENERAL: "Consulate general",
  CONSULATE: "Consulate",
  HONORARY_CONSULATE: "Honorary consulate",
  PERMANENT_MISSION: "Permanent mission",
  APOSTOLIC_NUNCIATURE: "Apostolic nunciature",
  APOSTOLIC_DELEGATION: "Apostolic delegation",
  ASSISTANT_HIGH_COMMISSION: "Assistant high commission",
  CONSULAR_AGENCY: "Consular agency",
  REPRESENTATIVE_OFFICE: "Representative office",
  DE_FACTO_CONSULATE: "De facto consulate",
  LIAISON_OFFICE: "Liaison office",
  INTERESTS_SECTION: "Interests section",
  TRADE_OFFICE: "Trade office",
  DIPLOMATIC_MISSION: "Diplomatic post",
};

/**
 * How a post is marked on a map, by the work it does: an embassy or its like (a circle), a
 * consulate or its like (a square), an honorary consulate (a triangle), anything else (a cross).
 */
export const MARKS = {
  embassy: "Embassy, high commission or the like",
  consulate: "Consulate or the like",
  honorary: "Honorary consulate",
  other: "Other post",
};

const MARK_OF_KIND = {
  EMBASSY: "embassy",
  LEGATION: "embassy",
  HIGH_COMMISSION: "embassy",
  PERMANENT_MISSION: "embassy",
  APOSTOLIC_NUNCIATURE: "embassy",
  REPRESENTATIVE_OFFICE: "embassy",
  CONSULATE_GENERAL: "consulate",
  CONSULATE: "consulate",
  ASSISTANT_HIGH_COMMISSION: "consulate",
  CONSULAR_AGENCY: "consulate",
  DE_FACTO_CONSULATE: "consulate",
  HONORARY_CONSULATE: "honorary",
};

/** The mark of a post's kind, one of MARKS' keys. */
export const markOf = (kind) => MARK_OF_KIND[kind] ?? "other";

export const ORGANIZATION_KINDS = {
  GOVERNMENT_BODY: "Government body",
  REGIONAL_GOVERNMENT: "Regional government",
  MILITARY: "Military",
  INTERNATIONAL_ORGANIZATION: "International organization",
  COMPANY: "Company",
  UNIVERSITY: "University",
  ASSOCIATION: "Association",
  NGO: "Non-governmental organization",
  OTHER: "Organization",
};
