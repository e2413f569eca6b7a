// Words for the API's enum values. Colours live in style.css, keyed by data-kind.

export const EVENT_KINDS = {
  DIPLOMATIC: "Diplomatic",
  POLITICAL: "Political",
  MILITARY: "Military",
  ECONOMIC: "Economic",
  CULTURAL: "Cultural",
  OTHER: "Other",
};

export const MISSION_KINDS = {
  EMBASSY: "Embassy",
  HIGH_COMMISSION: "High commission",
  CONSULATE_GENERAL: "Consulate general",
  CONSULATE: "Consulate",
  HONORARY_CONSULATE: "Honorary consulate",
  PERMANENT_MISSION: "Permanent mission",
};

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
