// The view of two countries: the timeline of their relations and the posts each keeps in the other.

import { request } from "./api.js";
import { chart, eventLanes, makeScale } from "./chart.js";
import { formatDate } from "./dates.js";
import { h, listOf } from "./elements.js";
import { addEvents, eventList, openEvent, sourceList } from "./events.js";
import { eventFilter, eventOverview, kindTotals } from "./eventOverview.js";
import { ORGANIZATION_KINDS, RELATION_STATUSES } from "./kinds.js";
import { countryLink, countryRoute, organizationLink, relationRoute } from "./links.js";
import { worldMap } from "./map.js";
import { moreControl } from "./more.js";
import { postCard, postLanes, tenureFrom } from "./posts.js";
import { RELATION_EVENTS, RELATION_VIEW } from "./queries.js";

function legend() {
  return h(
    "ul",
    { class: "legend", "aria-label": "How tenures are drawn" },
    h("li", {}, h("span", { class: "sample known" }), "known tenure"),
    h("li", {}, h("span", { class: "sample ongoing" }), "ongoing, to today"),
    h("li", {}, h("span", { class: "sample unknown" }), "end unknown"),
    h("li", {}, h("span", { class: "sample non-resident" }), "head resident elsewhere"),
    h("li", {}, h("span", { class: "sample address" }), "address"),
    h("li", {}, h("span", { class: "sample today" }), "today"),
  );
}

function summaryLine(relation, events) {
  const parts = [];
  if (relation.established) {
    parts.push(`Diplomatic relations since ${formatDate(relation.established)}`);
  }
  // Where relations stand now, unless that is simply as they were first established.
  const asFirstEstablished =
    relation.status === "ESTABLISHED" && relation.statusSince === relation.established;
  if (relation.status && !asFirstEstablished) {
    const since = relation.statusSince ? ` since ${formatDate(relation.statusSince)}` : "";
    parts.push(`relations ${RELATION_STATUSES[relation.status]}${since}`);
  }
  parts.push(`${events.totalCount} event${events.totalCount === 1 ? "" : "s"}`);
  parts.push(`${relation.missions.length} post${relation.missions.length === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

/** The two countries' posts in each other on a world map, both countries shaded. */
function pairMap(first, second, missions) {
  return worldMap({
    label: `A world map of the posts ${first.name} and ${second.name} keep in each other`,
    shade: new Map([
      [first.code, "pair"],
      [second.code, "pair"],
    ]),
    points: missions.map((mission) => ({
      ...mission,
      layer: mission.country.code === first.code ? "abroad" : "hosted",
      country: mission.hostCountry.code,
      countryName: mission.hostCountry.name,
    })),
    countryHref: (code) =>
      code === first.code || code === second.code
        ? countryRoute(code)
        : relationRoute(first.code, code),
    focus: [first.code, second.code],
  });
}

function render(data, route, { variables }) {
  const first = data.first ?? { code: route.first, name: route.first };
  const second = data.second ?? { code: route.second, name: route.second };
  const title = `${first.name} – ${second.name}`;
  const heading = h("h2", { tabindex: "-1" }, title);
  const { relation } = data;
  if (!data.first || !data.second) {
    const unknown = [data.first ? null : route.first, data.second ? null : route.second].filter(
      Boolean,
    );
    return {
      title,
      element: h(
        "section",
        {},
        heading,
        h("p", { class: "notice" }, `No country has the code ${unknown.join(" or ")}.`),
      ),
    };
  }
  if (!relation) {
    return {
      title,
      element: h(
        "section",
        {},
        heading,
        h(
          "p",
          { class: "notice" },
          `No relations between ${first.name} and ${second.name} are recorded yet.`,
        ),
      ),
    };
  }
  const events = relation.events;
  const scale = makeScale([
    relation.established,
    ...events.nodes.map((event) => event.date),
    ...relation.missions.flatMap((mission) => [
      mission.opened,
      ...mission.heads.map((head) => tenureFrom(head)),
      ...mission.addresses.map((address) => address.from),
    ]),
  ]);
  const pairs = [
    [first, second],
    [second, first],
  ];
  const eventSection = h("div", { class: "event-section", "aria-live": "polite" });
  // The list of events and its "load more", for the whole relation or a kind or decade of it.
  function showEvents(connection, filter) {
    const list = connection.nodes.length ? eventList(connection.nodes) : null;
    const more = moreControl({
      connection,
      noun: "events",
      fetchPage: async (after) =>
        (await request(RELATION_EVENTS, { ...variables, after, filter })).relation.events,
      addPage: (nodes) => addEvents(list, nodes),
    });
    eventSection.replaceChildren(
      ...[list ?? h("p", { class: "none" }, "No events are recorded."), more].filter(Boolean),
    );
  }
  showEvents(events, null);
  let asked = 0;
  const overview = relation.eventCounts.length
    ? eventOverview(relation.eventCounts, async (choice) => {
        const filter = eventFilter(choice);
        const ask = ++asked;
        eventSection.setAttribute("aria-busy", "true");
        const found = (await request(RELATION_EVENTS, { ...variables, filter })).relation.events;
        if (ask === asked) {
          // Only the latest choice is shown, whichever answer comes last.
          showEvents(found, filter);
          eventSection.removeAttribute("aria-busy");
        }
      })
    : null;
  const element = h(
    "section",
    { class: "relation" },
    h(
      "header",
      { class: "view-head" },
      heading,
      h("p", { class: "lede" }, summaryLine(relation, events)),
      h(
        "p",
        { class: "country-links" },
        "Each country's network: ",
        countryLink(first),
        " · ",
        countryLink(second),
      ),
    ),
    h("h3", {}, "Timeline"),
    chart(
      scale,
      `Events between ${first.name} and ${second.name} by kind (those listed below), and the ` +
        "posts each keeps in the other, by year.",
      eventLanes(scale, events.nodes, openEvent, kindTotals(relation.eventCounts)),
      postLanes(scale, relation.missions, pairs),
    ),
    relation.missions.length ? legend() : null,
    relation.missions.length
      ? [
          h("h3", {}, "Map of their posts in each other"),
          pairMap(first, second, relation.missions),
          h(
            "p",
            { class: "map-key" },
            h("span", { class: "swatch layer-abroad" }),
            `Posts of ${first.name}`,
            " ",
            h("span", { class: "swatch layer-hosted" }),
            `Posts of ${second.name}`,
          ),
        ]
      : null,
    h("h3", {}, "Events"),
    overview,
    eventSection,
    pairs.map(([keeper, host]) => {
      const kept = relation.missions.filter((mission) => mission.country.code === keeper.code);
      return kept.length
        ? [
            h("h3", {}, `Posts of ${keeper.name} in ${host.name}`),
            h("div", { class: "cards" }, kept.map(postCard)),
          ]
        : null;
    }),
    relation.organizations.length
      ? [
          h("h3", {}, "Bodies of this relation"),
          listOf(relation.organizations, (organization) => [
            organizationLink(organization),
            h("span", { class: "role" }, ORGANIZATION_KINDS[organization.kind]),
          ]),
        ]
      : null,
    relation.sources.length ? [h("h3", {}, "Sources"), sourceList(relation.sources)] : null,
  );
  return { title, element };
}

export const relationView = {
  query: RELATION_VIEW,
  variables: (route) => ({ first: route.first, second: route.second }),
  render,
};
