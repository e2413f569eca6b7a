// Addresses inside the explorer and links to the people, bodies, posts and countries in the data.
//
// Every view has a path of its own (/country/NL, /relation/BE/MY, /post/…), which the server
// answers with this page: a view can be shared, bookmarked and reached with the back button.

import { h } from "./elements.js";

export const DEFAULT_PAIR = ["BE", "MY"];

const segment = (value) => encodeURIComponent(value);

export const relationRoute = (first, second) => `/relation/${segment(first)}/${segment(second)}`;
export const countryRoute = (code) => `/country/${segment(code)}`;
export const personRoute = (id) => `/person/${segment(id)}`;
export const organizationRoute = (id) => `/organization/${segment(id)}`;
export const postRoute = (id) => `/post/${segment(id)}`;
export const searchRoute = (text) => `/search?${new URLSearchParams({ q: text })}`;
export const COUNTRIES_ROUTE = "/countries";

const VIEWS_BY_PATH = {
  country: (parts, query) =>
    parts[0]
      ? {
          name: "country",
          code: parts[0].toUpperCase(),
          as: query.get("as") === "table" ? "table" : "map",
        }
      : null,
  relation: (parts) =>
    parts[0] && parts[1]
      ? { name: "relation", first: parts[0].toUpperCase(), second: parts[1].toUpperCase() }
      : null,
  person: (parts) => (parts[0] ? { name: "person", id: parts[0] } : null),
  organization: (parts) => (parts[0] ? { name: "organization", id: parts[0] } : null),
  post: (parts) => (parts[0] ? { name: "post", id: parts[0] } : null),
  countries: () => ({ name: "countries" }),
};

/**
 * The view an address names, {name: "relation" | "country" | …, …}; null for an address that
 * is not the explorer's (GraphiQL, the docs, the API). `/` is the default pair.
 */
export function parseRoute(url) {
  const { pathname, searchParams } = url;
  if (pathname === "/" || pathname === "") {
    return { name: "relation", first: DEFAULT_PAIR[0], second: DEFAULT_PAIR[1] };
  }
  if (pathname === "/search") {
    return { name: "search", text: searchParams.get("q") ?? "" };
  }
  const [name, ...parts] = pathname.replace(/^\//, "").split("/").map(decodeURIComponent);
  return Object.hasOwn(VIEWS_BY_PATH, name) ? VIEWS_BY_PATH[name](parts, searchParams) : null;
}

/** Where an address of the earlier hash form (/#/relation/BE/MY) now lives; null for others. */
export function pathOfHash(hash) {
  const path = hash.replace(/^#/, "");
  return path.startsWith("/") && path.length > 1 ? path : null;
}

/**
 * A participant of an event, an accreditation target or a head, named: people, organizations,
 * posts and countries link to their views; other areas are plain text.
 */
export function nameOf(thing) {
  switch (thing.__typename) {
    case "Person":
      return h("a", { href: personRoute(thing.id), class: "entity person" }, thing.name);
    case "Organization":
      return h(
        "a",
        { href: organizationRoute(thing.id), class: "entity organization" },
        thing.name,
      );
    case "Mission":
      return h("a", { href: postRoute(thing.id), class: "entity post" }, thing.name);
    case "Country":
      return thing.code
        ? h("a", { href: countryRoute(thing.code), class: "entity country" }, thing.name)
        : h("span", { class: "entity" }, thing.name);
    default:
      return h("span", { class: "entity" }, thing.name);
  }
}

export const personLink = (person) => nameOf({ __typename: "Person", ...person });
export const organizationLink = (organization) =>
  nameOf({ __typename: "Organization", ...organization });
export const countryLink = (country) => nameOf({ __typename: "Country", ...country });
export const postLink = (post) => nameOf({ __typename: "Mission", ...post });
