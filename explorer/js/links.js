// Addresses inside the explorer (hash routes) and links to the people and bodies in the data.

import { h } from "./elements.js";

export const DEFAULT_PAIR = ["BE", "MY"];

export const relationRoute = (first, second) => `#/relation/${first}/${second}`;
export const personRoute = (id) => `#/person/${encodeURIComponent(id)}`;
export const organizationRoute = (id) => `#/organization/${encodeURIComponent(id)}`;

/** The view an address names: {name: "relation" | "person" | "organization", …}. */
export function parseRoute(hash) {
  const [name, ...parts] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (name === "person" && parts[0]) {
    return { name, id: parts[0] };
  }
  if (name === "organization" && parts[0]) {
    return { name, id: parts[0] };
  }
  if (name === "relation" && parts[0] && parts[1]) {
    return { name, first: parts[0].toUpperCase(), second: parts[1].toUpperCase() };
  }
  return { name: "relation", first: DEFAULT_PAIR[0], second: DEFAULT_PAIR[1] };
}

/**
 * A participant of an event, an accreditation target or a head, named: people and
 * organizations link to everything they took part in; countries and posts are plain text.
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
    default:
      return h("span", { class: "entity" }, thing.name);
  }
}

export const personLink = (person) => nameOf({ __typename: "Person", ...person });
export const organizationLink = (organization) =>
  nameOf({ __typename: "Organization", ...organization });
