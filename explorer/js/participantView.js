// The views of a person and of an organization: everything they took part in, on a timeline.

import { request } from "./api.js";
import { chart, eventLanes, groupHeading, lane, makeScale } from "./chart.js";
import { formatDate, formatSpan } from "./dates.js";
import { h, listOf } from "./elements.js";
import { addEvents, eventList, openEvent } from "./events.js";
import { ORGANIZATION_KINDS } from "./kinds.js";
import { postLink } from "./links.js";
import { moreControl } from "./more.js";
import { ORGANIZATION_VIEW, PARTICIPATION_PAGE, PERSON_VIEW } from "./queries.js";
import { residenceText, tenureBar, tenureFrom, tenureText } from "./posts.js";

function notFound(kind) {
  const title = `No such ${kind}`;
  return {
    title,
    element: h(
      "section",
      {},
      h("h2", { tabindex: "-1" }, title),
      h("p", { class: "notice" }, `Nothing in the data has this ID, or it is not a ${kind}.`),
    ),
  };
}

/** The timeline and list of what a participant took part in, with extra lanes under the events. */
function participations(name, connection, variables, extraLanes = () => [], extraDates = []) {
  const entries = connection.nodes;
  const events = entries.map((entry) => entry.event);
  const roles = new Map(entries.map((entry) => [entry.event.id, entry.role]));
  const roleOf = (event) => roles.get(event.id);
  const scale = makeScale([...events.map((event) => event.date), ...extraDates]);
  const list = events.length ? eventList(events, roleOf) : null;
  const more = moreControl({
    connection,
    noun: "events",
    fetchPage: async (after) =>
      (await request(PARTICIPATION_PAGE, { ...variables, after })).node.participations,
    addPage: (nodes) => {
      for (const entry of nodes) {
        roles.set(entry.event.id, entry.role);
      }
      return addEvents(
        list,
        nodes.map((entry) => entry.event),
        roleOf,
      );
    },
  });
  const lanes = [eventLanes(scale, events, openEvent), extraLanes(scale)].flat();
  return [
    lanes.length
      ? [h("h3", {}, "Timeline"), chart(scale, `What ${name} took part in, by year.`, lanes)]
      : null,
    h(
      "h3",
      {},
      `Took part in ${connection.totalCount} event${connection.totalCount === 1 ? "" : "s"}`,
    ),
    list ?? h("p", { class: "none" }, "No participation is recorded."),
    more,
  ];
}

/** When a position was held, as far as the sources say. */
function positionText(position) {
  if (position.start || position.end) {
    return formatSpan(position.start, position.end);
  }
  return position.inOfficeOn ? `in office on ${formatDate(position.inOfficeOn)}` : "dates unknown";
}

/** Who a person is, in short: lifetime, career and the country they act for. */
function personFacts(person) {
  const facts = ["Person"];
  if (person.born || person.died) {
    facts.push(`${person.born ?? "?"} – ${person.died ?? ""}`.trim());
  }
  if (person.careerType) {
    facts.push(`${person.careerType} (Office of the Historian)`);
  }
  if (person.country) {
    facts.push(`acts for ${person.country.name}`);
  }
  return facts;
}

function renderPerson(data, _route, { variables }) {
  const person = data.node;
  if (person?.__typename !== "Person") {
    return notFound("person");
  }
  const headshipLanes = (scale) =>
    person.headships.length
      ? [
          groupHeading("Posts headed"),
          person.headships.map((headship) =>
            lane(headship.mission.name, tenureBar(scale, headship, headship.title), {
              className: "post-lane",
            }),
          ),
        ]
      : [];
  const element = h(
    "section",
    { class: "participant" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, person.name),
      h("p", { class: "lede" }, personFacts(person).join(" · ")),
    ),
    person.positions.length
      ? [
          h("h3", {}, "Positions"),
          listOf(person.positions, (position) => [
            position.title,
            h("span", { class: "when" }, positionText(position)),
          ]),
        ]
      : null,
    person.headships.length
      ? [
          h("h3", {}, "Posts headed"),
          listOf(
            person.headships,
            (headship) => [
              postLink(headship.mission),
              h("span", { class: "role" }, headship.title),
              h("span", { class: "when" }, tenureText(headship)),
              headship.residentIn
                ? h("span", { class: "residence" }, residenceText(headship))
                : null,
              headship.accreditedTo
                ? h("span", { class: "accredited" }, `accredited to ${headship.accreditedTo.name}`)
                : null,
              headship.appointed
                ? h("span", { class: "when" }, `appointed ${formatDate(headship.appointed)}`)
                : null,
              headship.endNote ? h("span", { class: "end-note" }, headship.endNote) : null,
              headship.note ? h("p", { class: "note" }, headship.note) : null,
            ],
            { class: "headships" },
          ),
        ]
      : null,
    participations(
      person.name,
      person.participations,
      variables,
      headshipLanes,
      person.headships.map((headship) => tenureFrom(headship)),
    ),
  );
  return { title: person.name, element };
}

function renderOrganization(data, _route, { variables }) {
  const organization = data.node;
  if (organization?.__typename !== "Organization") {
    return notFound("organization");
  }
  const facts = [ORGANIZATION_KINDS[organization.kind]];
  if (organization.country) {
    facts.push(organization.country.name);
  }
  if (organization.founded) {
    facts.push(`founded ${formatDate(organization.founded)}`);
  }
  const element = h(
    "section",
    { class: "participant" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, organization.name),
      h("p", { class: "lede" }, facts.join(" · ")),
    ),
    participations(organization.name, organization.participations, variables, () => [], [
      organization.founded,
    ]),
  );
  return { title: organization.name, element };
}

export const personView = {
  query: PERSON_VIEW,
  variables: (route) => ({ id: route.id }),
  render: renderPerson,
};

export const organizationView = {
  query: ORGANIZATION_VIEW,
  variables: (route) => ({ id: route.id }),
  render: renderOrganization,
};
