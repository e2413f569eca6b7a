// One post: its card (heads, addresses, accreditations), where it is on a map with the countries
// it covers shaded, how to reach it, and the sources that state it.

import { h } from "./elements.js";
import { sourceList } from "./events.js";
import { MISSION_KINDS } from "./kinds.js";
import { countryLink, relationRoute } from "./links.js";
import { worldMap } from "./map.js";
import { postCard } from "./posts.js";
import { POST_VIEW } from "./queries.js";

function notFound() {
  const title = "No such post";
  return {
    title,
    element: h(
      "section",
      {},
      h("h2", { tabindex: "-1" }, title),
      h("p", { class: "notice" }, "Nothing in the data has this ID, or it is not a post."),
    ),
  };
}

function contactList(contact) {
  const entries = [
    contact.website
      ? ["Website", h("a", { href: contact.website, rel: "noopener" }, contact.website)]
      : null,
    contact.email ? ["E-mail", h("a", { href: `mailto:${contact.email}` }, contact.email)] : null,
    contact.phone ? ["Phone", contact.phone] : null,
  ].filter(Boolean);
  return entries.length
    ? h(
        "dl",
        { class: "contact" },
        entries.map(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]),
      )
    : null;
}

function render(data) {
  const post = data.node;
  if (post?.__typename !== "Mission") {
    return notFound();
  }
  const shade = new Map();
  for (const { target } of post.accreditations) {
    if (target.__typename === "Country") {
      shade.set(target.code, target.code === post.hostCountry.code ? "resident" : "non-resident");
    }
  }
  shade.set(post.country.code, "home");
  const map = worldMap({
    label: `Where ${post.name} is, with the countries it is accredited to shaded`,
    shade,
    points: [
      {
        ...post,
        layer: "abroad",
        country: post.hostCountry.code,
        countryName: post.hostCountry.name,
      },
    ],
    countryHref: (code) =>
      code === post.country.code ? null : relationRoute(post.country.code, code),
    focus: [post.hostCountry.code],
  });
  const where = post.location
    ? `at ${post.location.latitude.toFixed(4)}, ${post.location.longitude.toFixed(4)}`
    : "no coordinates are recorded; the map places it in its country";
  const element = h(
    "section",
    { class: "post-view" },
    h(
      "header",
      { class: "view-head" },
      h("h2", { tabindex: "-1" }, post.name),
      h(
        "p",
        { class: "lede" },
        `${MISSION_KINDS[post.kind] ?? post.kind} of `,
        countryLink(post.country),
        " in ",
        countryLink(post.hostCountry),
        " · ",
        h(
          "a",
          { href: relationRoute(post.country.code, post.hostCountry.code) },
          `${post.country.name} – ${post.hostCountry.name}`,
        ),
      ),
    ),
    h("h3", {}, "Where it is"),
    h("p", { class: "hint" }, `${post.city ? `${post.city}, ` : ""}${where}.`),
    map,
    postCard(post),
    contactList(post.contact) ? [h("h3", {}, "Contact"), contactList(post.contact)] : null,
    post.sources.length ? [h("h3", {}, "Sources"), sourceList(post.sources)] : null,
    post.wikidata
      ? h(
          "p",
          { class: "hint" },
          "On Wikidata: ",
          h(
            "a",
            { href: `https://www.wikidata.org/wiki/${post.wikidata}`, rel: "noopener" },
            post.wikidata,
          ),
        )
      : null,
  );
  return { title: post.name, element };
}

export const postView = {
  query: POST_VIEW,
  variables: (route) => ({ id: route.id }),
  render,
};


