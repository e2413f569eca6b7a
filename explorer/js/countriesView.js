// Every country, on a world map and in a list: one click opens a country's network.

import { allCountries } from "./countries.js";
import { h } from "./elements.js";
import { countryRoute } from "./links.js";
import { worldMap } from "./map.js";

function render(countries) {
  const title = "Countries";
  const element = h(
    "section",
    { class: "countries-view" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, title),
      h(
        "p",
        { class: "lede" },
        `${countries.length} countries. Click one, on the map or in the list, to see its ` +
          "posts abroad and the posts others keep in it.",
      ),
    ),
    worldMap({
      label: "A world map of the countries; each opens its network",
      shade: new Map(),
      points: [],
      countryHref: countryRoute,
    }),
    h(
      "ul",
      { class: "country-list" },
      countries.map((country) =>
        h("li", {}, h("a", { href: countryRoute(country.code) }, country.name)),
      ),
    ),
  );
  return { title, element };
}

export const countriesView = {
  // The list the pickers load, shared: every country, page by page.
  query: null,
  variables: () => ({}),
  load: (variables) => allCountries(variables.lang ?? null),
  render,
};
