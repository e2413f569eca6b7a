// The view of two countries: the timeline of their relations and the posts each keeps in the other.

import { chart, eventLanes, makeScale } from "./chart.js";
import { formatDate } from "./dates.js";
import { h, listOf } from "./elements.js";
import { eventList, openEvent, sourceList } from "./events.js";
import { ORGANIZATION_KINDS } from "./kinds.js";
import { organizationLink } from "./links.js";
import { postCard, postLanes } from "./posts.js";
import { RELATION_VIEW } from "./queries.js";

function legend() {
  return h(
    "ul",
    { class: "legend", "aria-label": "How tenures are drawn" },
    h("li", {}, h("span", { class: "sample known" }), "known tenure"),
    h("li", {}, h("span", { class: "sample ongoing" }), "ongoing, to today"),
    h("li", {}, h("span", { class: "sample unknown" }), "end unknown"),
    h("li", {}, h("span", { class: "sample address" }), "address"),
    h("li", {}, h("span", { class: "sample today" }), "today"),
  );
}

function summaryLine(relation, events) {
  const parts = [];
  if (relation.established) {
    parts.push(`Diplomatic relations since ${formatDate(relation.established)}`);
  }
  parts.push(`${events.totalCount} event${events.totalCount === 1 ? "" : "s"}`);
  parts.push(`${relation.missions.length} post${relation.missions.length === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

function render(data, route) {
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
      ...mission.heads.map((head) => head.start ?? head.inOfficeOn),
      ...mission.addresses.map((address) => address.from),
    ]),
  ]);
  const pairs = [
    [first, second],
    [second, first],
  ];
  const shown =
    events.nodes.length < events.totalCount
      ? h(
          "p",
          { class: "notice" },
          `Showing the first ${events.nodes.length} of ${events.totalCount} events.`,
        )
      : null;
  const element = h(
    "section",
    { class: "relation" },
    h(
      "header",
      { class: "view-head" },
      heading,
      h("p", { class: "lede" }, summaryLine(relation, events)),
    ),
    h("h3", {}, "Timeline"),
    chart(
      scale,
      `Events between ${first.name} and ${second.name} by kind, and the posts each keeps in the other, by year.`,
      eventLanes(scale, events.nodes, openEvent),
      postLanes(scale, relation.missions, pairs),
    ),
    relation.missions.length ? legend() : null,
    h("h3", {}, "Events"),
    shown,
    events.nodes.length
      ? eventList(events.nodes)
      : h("p", { class: "none" }, "No events are recorded."),
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
