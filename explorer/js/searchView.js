// What the API's full-text search finds, best match first, each a link to its view; more pages
// load with the cursor.

import { request } from "./api.js";
import { formatDate } from "./dates.js";
import { h } from "./elements.js";
import { EVENT_KINDS, MISSION_KINDS, ORGANIZATION_KINDS } from "./kinds.js";
import { countryRoute, nameOf, relationRoute } from "./links.js";
import { moreControl } from "./more.js";
import { SEARCH_PAGE, SEARCH_VIEW } from "./queries.js";

/** A found thing: what it is, a link to its view, and a line that tells it apart. */
function result(node) {
  switch (node.__typename) {
    case "Country":
      return [
        h("span", { class: "found-kind" }, "Country"),
        h("a", { href: countryRoute(node.code) }, node.name),
        h("span", { class: "meta" }, node.code),
      ];
    case "Mission":
      return [
        h("span", { class: "found-kind" }, MISSION_KINDS[node.missionKind] ?? "Post"),
        nameOf(node),
        h(
          "span",
          { class: "meta" },
          `of ${node.country.name} in ` +
            [node.city, node.hostCountry.name].filter(Boolean).join(", "),
        ),
      ];
    case "Person":
      return [
        h("span", { class: "found-kind" }, "Person"),
        nameOf(node),
        node.actsFor ? h("span", { class: "meta" }, `acts for ${node.actsFor.name}`) : null,
      ];
    case "Organization":
      return [
        h(
          "span",
          { class: "found-kind" },
          ORGANIZATION_KINDS[node.organizationKind] ?? "Organization",
        ),
        nameOf(node),
      ];
    default: {
      // An event is shown in the relation of the countries taking part in it.
      const countries = node.participants
        .map(({ participant }) => participant)
        .filter((participant) => participant.__typename === "Country");
      const title =
        countries.length >= 2
          ? h("a", { href: relationRoute(countries[0].code, countries[1].code) }, node.title)
          : h("span", {}, node.title);
      return [
        h("span", { class: "found-kind" }, `${EVENT_KINDS[node.eventKind]} event`),
        title,
        h("span", { class: "meta" }, formatDate(node.date)),
      ];
    }
  }
}

const item = (node) => h("li", {}, result(node));

function render(data, route, { variables }) {
  if (!data.search) {
    const title = "Search";
    return {
      title,
      element: h(
        "section",
        {},
        h("h2", { tabindex: "-1" }, title),
        h("p", { class: "notice" }, "Type a word or a name in the search box above."),
      ),
    };
  }
  const found = data.search;
  const title = `Search: ${route.text}`;
  const list = h("ol", { class: "found" }, found.nodes.map(item));
  const more = moreControl({
    connection: found,
    noun: "results",
    pageSize: 25,
    fetchPage: async (after) => (await request(SEARCH_PAGE, { ...variables, after })).search,
    addPage: (nodes) => {
      const items = nodes.map(item);
      list.append(...items);
      return items[0]?.querySelector("a") ?? null;
    },
  });
  const element = h(
    "section",
    { class: "search-view" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, title),
      h(
        "p",
        { class: "lede" },
        found.totalCount
          ? `${found.totalCount} found, best match first.`
          : `Nothing matches “${route.text}”.`,
      ),
    ),
    data.countries.nodes.length
      ? [
          h("h3", {}, "Countries"),
          h(
            "ul",
            { class: "found-countries" },
            data.countries.nodes.map((country) =>
              h("li", {}, h("a", { href: countryRoute(country.code) }, country.name)),
            ),
          ),
          h("h3", {}, "Everything found"),
        ]
      : null,
    found.nodes.length ? list : null,
    more,
  );
  return { title, element };
}

export const searchView = {
  query: SEARCH_VIEW,
  variables: (route) => ({ text: route.text }),
  // No request for an empty search: the view asks for words instead.
  load: (variables) =>
    variables.text.trim()
      ? request(SEARCH_VIEW, variables)
      : Promise.resolve({ countries: null, search: null }),
  render,
};
