// A country's diplomatic network: its posts abroad and the posts others keep in it, on a world
// map, in two sortable tables and as a chart of the decades they opened in.

import { formatDate } from "./dates.js";
import { decadeChart } from "./decades.js";
import { h, listOf } from "./elements.js";
import { MARKS, MISSION_KINDS, markOf } from "./kinds.js";
import { postLink, relationRoute } from "./links.js";
import { markSample, showLayer, worldMap } from "./map.js";
import { COUNTRY_VIEW } from "./queries.js";
import { sortableTable } from "./table.js";
import { tabs } from "./tabs.js";

const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The countries a country's posts are accredited to: code → the country. */
function accreditedCountries(missions) {
  const covered = new Map();
  for (const mission of missions) {
    for (const { target } of mission.accreditations) {
      if (target.__typename === "Country") {
        covered.set(target.code, target);
      }
    }
  }
  return covered;
}

const severedText = (relation) =>
  ` · severed${relation.statusSince ? ` since ${formatDate(relation.statusSince)}` : ""}`;

/** A country's relations, each with the other country, by the other country's name. */
function byName(relations, code) {
  return relations
    .map((relation) => ({
      relation,
      other: relation.countries.find((c) => c.code !== code) ?? relation.countries[0],
    }))
    .sort((a, b) => a.other.name.localeCompare(b.other.name));
}

const openedText = (mission) => (mission.opened ? formatDate(mission.opened) : "—");

const placeText = (location) =>
  location ? `${location.latitude.toFixed(2)}, ${location.longitude.toFixed(2)}` : null;

function abroadTable(country, missions) {
  return sortableTable({
    caption: `Posts of ${country.name} abroad`,
    className: "posts-table",
    rows: missions,
    columns: [
      { label: "Post", sort: (m) => m.name, cell: (m) => postLink(m) },
      { label: "Kind", sort: (m) => MISSION_KINDS[m.kind], cell: (m) => kindCell(m, "abroad") },
      { label: "City", sort: (m) => m.city, cell: (m) => m.city || "—" },
      {
        label: "In",
        sort: (m) => m.hostCountry.name,
        cell: (m) =>
          h("a", { href: relationRoute(country.code, m.hostCountry.code) }, m.hostCountry.name),
      },
      {
        label: "Accredited to",
        sort: (m) => m.accreditations.length,
        cell: (m) =>
          m.accreditations.map((accreditation) => accreditation.target.name).join(", ") || "—",
      },
      { label: "Opened", sort: (m) => m.opened, cell: openedText },
      {
        label: "Coordinates",
        sort: (m) => (m.location ? m.location.latitude : null),
        cell: (m) => placeText(m.location) ?? "none",
      },
    ],
  });
}

function hostedTable(country, missions) {
  return sortableTable({
    caption: `Posts of other countries in ${country.name}`,
    className: "posts-table",
    rows: missions,
    columns: [
      { label: "Post", sort: (m) => m.name, cell: (m) => postLink(m) },
      { label: "Kind", sort: (m) => MISSION_KINDS[m.kind], cell: (m) => kindCell(m, "hosted") },
      { label: "City", sort: (m) => m.city, cell: (m) => m.city || "—" },
      {
        label: "Kept by",
        sort: (m) => m.country.name,
        cell: (m) => h("a", { href: relationRoute(country.code, m.country.code) }, m.country.name),
      },
      { label: "Opened", sort: (m) => m.opened, cell: openedText },
      {
        label: "Coordinates",
        sort: (m) => (m.location ? m.location.latitude : null),
        cell: (m) => placeText(m.location) ?? "none",
      },
    ],
  });
}

const kindCell = (mission, layer) => [
  markSample(markOf(mission.kind), layer),
  " ",
  MISSION_KINDS[mission.kind] ?? mission.kind,
];

/** The key to the map, with a switch for each layer of posts. */
function legend(figure, country, abroad, hosted) {
  const layerSwitch = (layer, text) =>
    h(
      "label",
      { class: "layer-switch" },
      h("input", {
        type: "checkbox",
        checked: true,
        "data-layer": layer,
        onchange: (event) => showLayer(figure, layer, event.target.checked),
      }),
      h("span", { class: `swatch layer-${layer}` }),
      text,
    );
  return h(
    "div",
    { class: "map-legend" },
    h(
      "fieldset",
      {},
      h("legend", {}, "Posts on the map"),
      layerSwitch("abroad", `Posts of ${country.name} abroad (${abroad.length})`),
      layerSwitch("hosted", `Posts of other countries in ${country.name} (${hosted.length})`),
    ),
    h(
      "ul",
      { class: "legend", "aria-label": "How posts and countries are marked" },
      Object.entries(MARKS).map(([mark, text]) => h("li", {}, markSample(mark, "abroad"), text)),
      h("li", {}, h("span", { class: "sample placed" }), "placed in its country: no coordinates"),
      h("li", {}, h("span", { class: "shade resident" }), "a post there, accredited"),
      h("li", {}, h("span", { class: "shade non-resident" }), "accredited from a post elsewhere"),
      h("li", {}, h("span", { class: "shade home" }), country.name),
    ),
  );
}

function render(data, route) {
  const { country } = data;
  if (!country) {
    const title = `No country ${route.code}`;
    return {
      title,
      element: h(
        "section",
        {},
        h("h2", { tabindex: "-1" }, title),
        h("p", { class: "notice" }, `No country has the code ${route.code}.`),
      ),
    };
  }
  const abroad = country.missions;
  const hosted = country.hostedMissions;
  const covered = accreditedCountries(abroad);
  const hosts = new Set(abroad.map((mission) => mission.hostCountry.code));
  const shade = new Map();
  for (const code of covered.keys()) {
    shade.set(code, hosts.has(code) ? "resident" : "non-resident");
  }
  shade.set(country.code, "home");
  const nonResident = [...covered.keys()].filter((code) => !hosts.has(code)).length;
  const points = [
    ...abroad.map((mission) => ({
      ...mission,
      layer: "abroad",
      country: mission.hostCountry.code,
      countryName: mission.hostCountry.name,
    })),
    ...hosted.map((mission) => ({
      ...mission,
      layer: "hosted",
      country: country.code,
      countryName: country.name,
      keeper: mission.country,
    })),
  ];
  const figure = worldMap({
    label: `A world map of the posts of ${country.name} abroad and of other countries in it`,
    shade,
    points,
    countryHref: (code) => (code === country.code ? null : relationRoute(country.code, code)),
    focus: [country.code],
  });
  const lede = [
    `${plural(abroad.length, "post")} abroad in ${plural(hosts.size, "country", "countries")}`,
    `accredited to ${plural(covered.size, "country", "countries")} ` +
      `(${nonResident} without a post of its own there)`,
    `${plural(hosted.length, "post")} of other countries in ${country.name}`,
  ].join(" · ");
  const element = h(
    "section",
    { class: "country-view" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, country.name),
      h("p", { class: "lede" }, lede),
    ),
    tabs({
      label: `The posts of ${country.name} as`,
      selected: route.as,
      chosen: (key) => {
        // The choice is part of the address, so that a shared link opens the same tab.
        const url = new URL(window.location.href);
        if (key === "table") {
          url.searchParams.set("as", "table");
        } else {
          url.searchParams.delete("as");
        }
        window.history.replaceState(null, "", url);
      },
      panels: [
        {
          key: "map",
          label: "Map",
          build: () => [
            h(
              "p",
              { class: "hint" },
              "Hover over a post, or Tab to the map and move with the arrow keys, to see it; " +
                `click it to open it. Click a country to see its relations with ${country.name}.`,
            ),
            figure,
            legend(figure, country, abroad, hosted),
          ],
        },
        {
          key: "table",
          label: "Table",
          build: () => [
            abroad.length
              ? abroadTable(country, abroad)
              : h("p", { class: "none" }, `No post of ${country.name} abroad is recorded.`),
            hosted.length
              ? hostedTable(country, hosted)
              : h("p", { class: "none" }, `No post in ${country.name} is recorded.`),
          ],
        },
      ],
    }),
    h("h3", {}, "Posts opened per decade"),
    decadeChart(abroad, `Posts of ${country.name} abroad, by the decade they opened.`),
    country.relations.length
      ? [
          h("h3", {}, `Relations with ${plural(country.relations.length, "country", "countries")}`),
          listOf(
            byName(country.relations, country.code),
            ({ relation, other }) => [
              h(
                "a",
                { href: relationRoute(country.code, other.code) },
                `${country.name} – ${other.name}`,
              ),
              " ",
              h("span", { class: "event-count" }, plural(relation.events.totalCount, "event")),
              relation.established
                ? h("span", { class: "when" }, ` · since ${formatDate(relation.established)}`)
                : null,
              relation.status === "SEVERED"
                ? h("span", { class: "status" }, severedText(relation))
                : null,
            ],
            { class: "relation-list" },
          ),
        ]
      : null,
  );
  return { title: country.name, element };
}

export const countryView = {
  query: COUNTRY_VIEW,
  variables: (route) => ({ code: route.code }),
  render,
};
