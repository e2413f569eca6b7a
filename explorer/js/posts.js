// Posts (embassies, consulates): their heads and addresses as bars on the axis, and as text.

import { bar, groupHeading, lane } from "./chart.js";
import { formatDate, formatSpan } from "./dates.js";
import { h, listOf } from "./elements.js";
import { MISSION_KINDS } from "./kinds.js";
import { nameOf, personLink, postLink, postRoute } from "./links.js";

/**
 * How a tenure ends, as the API tells it: an end date is known; `ongoing` says it goes on;
 * otherwise (end null, ongoing false) the end is unknown — which is not the same as ongoing.
 */
export function tenureEnds(head) {
  if (head.end) {
    return "known";
  }
  return head.ongoing ? "ongoing" : "unknown";
}

/** A tenure's dates in words. */
export function tenureText(head) {
  const ends = tenureEnds(head);
  if (ends === "known") {
    return !head.start && head.appointed
      ? `appointed ${formatDate(head.appointed)} – ${formatDate(head.end)}`
      : formatSpan(head.start, head.end);
  }
  if (ends === "ongoing") {
    return head.start ? `${formatDate(head.start)} – today` : "in office today";
  }
  if (head.start) {
    return `${formatDate(head.start)} – end unknown`;
  }
  return head.inOfficeOn ? `in office on ${formatDate(head.inOfficeOn)}` : "dates unknown";
}

function ordinalWord(number) {
  const tens = number % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[number % 10] ?? "th");
  return `${number}${suffix}`;
}

/**
 * Where a tenure's bar begins: the day the head took charge or, where the sources do not give
 * it, the appointment, a day they were in office, or else the end (a bar of unknown start).
 */
export const tenureFrom = (head) => head.start ?? head.appointed ?? head.inOfficeOn ?? head.end;

/** Where a head lived, when not in the post's host country: "resident in United Kingdom". */
export const residenceText = (head) =>
  head.residentIn ? `resident in ${head.residentIn.name}` : null;

/**
 * A tenure as a bar, when the data gives it a place on the axis; its tooltip names the title,
 * the person (`name`, where the label does not), the dates and where a non-resident head lived.
 */
export function tenureBar(scale, head, label, name = null) {
  const from = tenureFrom(head);
  if (!from) {
    return null;
  }
  const residence = residenceText(head);
  const note = [tenureText(head), residence].filter(Boolean).join(" · ");
  const hover = [head.title, name, tenureText(head), residence].filter(Boolean).join(", ");
  return bar(scale, {
    from,
    to: head.end,
    ends: tenureEnds(head),
    label,
    note,
    hover,
    mark: head.residentIn ? "non-resident" : null,
  });
}

// A post with more heads than this shows them in a lane of its own height that scrolls.
const LANE_ROWS = 12;

/** How an address ends: a known move, today (it is where the post is now), or unknown. */
function addressEnds(address, mission) {
  if (address.to) {
    return "known";
  }
  return address.address === mission.currentAddress ? "ongoing" : "unknown";
}

function addressText(address, mission) {
  const ends = addressEnds(address, mission);
  if (ends === "ongoing") {
    return address.from ? `${formatDate(address.from)} – today` : "today";
  }
  if (ends === "unknown" && address.from) {
    return `${formatDate(address.from)} – end unknown`;
  }
  return formatSpan(address.from, address.to);
}

/** One lane per post: a bar per address, then a bar per head. */
function postLane(scale, mission) {
  const addresses = mission.addresses
    .filter((address) => address.from)
    .map((address) =>
      h(
        "div",
        { class: "address" },
        bar(scale, {
          from: address.from,
          to: address.to,
          ends: addressEnds(address, mission),
          label: address.address,
          note: addressText(address, mission),
        }),
      ),
    );
  const heads = mission.heads.map((head) =>
    tenureBar(scale, head, personLink(head.person), head.person.name),
  );
  const drawn = heads.filter(Boolean).length;
  const count = mission.heads.length;
  const label = [
    h("span", { class: "post-kind" }, MISSION_KINDS[mission.kind]),
    " ",
    mission.name,
    count ? h("span", { class: "post-count" }, ` · ${count} head${count === 1 ? "" : "s"}`) : null,
  ];
  const many = addresses.length + drawn > LANE_ROWS;
  return lane(label, [addresses, heads], {
    className: many ? "post-lane scrolls" : "post-lane",
    // A scrolling lane is reached and scrolled with the keyboard too.
    trackAttributes: many
      ? { tabindex: "0", role: "group", "aria-label": `Heads of ${mission.name}` }
      : {},
  });
}

/** The lanes for the posts each country keeps in the other, grouped by the country keeping them. */
export function postLanes(scale, missions, countries) {
  return countries.flatMap(([keeper, host]) => {
    const kept = missions.filter((mission) => mission.country.code === keeper.code);
    return kept.length
      ? [
          groupHeading(`${keeper.name} in ${host.name}`),
          kept.map((mission) => postLane(scale, mission)),
        ]
      : [];
  });
}

// Stands in the list of heads where the sources say others served, unrecorded.
const UNRECORDED = Symbol("unrecorded tenures");

const unrecordedText = () =>
  h("span", { class: "unrecorded" }, "Others, whom the sources do not name");

/** A tenure in words: who, as what, and when. */
function headText(head) {
  return [
    personLink(head.person),
    h(
      "span",
      { class: "role" },
      head.ordinal ? `${ordinalWord(head.ordinal)} ${head.title}` : head.title,
    ),
    h("span", { class: `when ${tenureEnds(head)}` }, tenureText(head)),
    head.residentIn ? h("span", { class: "residence" }, residenceText(head)) : null,
    head.accreditedTo
      ? h("span", { class: "accredited" }, `accredited to ${head.accreditedTo.name}`)
      : null,
  ];
}

/** A post described in words: heads, addresses and accreditations over time, and what to check. */
export function postCard(mission) {
  const facts = [MISSION_KINDS[mission.kind], mission.city];
  if (mission.opened) {
    facts.push(`opened ${formatDate(mission.opened)}`);
  }
  if (mission.closed) {
    facts.push(`closed ${formatDate(mission.closed)}`);
  }
  const heads = listOf(
    mission.heads.flatMap((head) => (head.gapBefore ? [UNRECORDED, head] : [head])),
    (head) => (head === UNRECORDED ? unrecordedText() : headText(head)),
    { class: "heads" },
  );
  // The pair view does not ask for its heads' issues (see queries.js): the post's page has them.
  const headsChecked = mission.heads.every((head) => head.qualityIssues);
  const issues = [
    ...mission.qualityIssues,
    ...mission.heads.flatMap((head) => head.qualityIssues ?? []),
  ];
  const addresses = listOf(mission.addresses, (address) => [
    `${address.address}, ${address.city}`,
    h("span", { class: "when" }, addressText(address, mission)),
  ]);
  const accreditations = listOf(mission.accreditations, (accreditation) => [
    nameOf(accreditation.target),
    accreditation.from || accreditation.to
      ? h("span", { class: "when" }, formatSpan(accreditation.from, accreditation.to))
      : null,
  ]);
  return h(
    "article",
    { class: "card post", id: `post-${mission.id}` },
    h("h4", {}, postLink(mission)),
    h("p", { class: "meta" }, facts.join(" · ")),
    h("h5", {}, "Heads"),
    heads ?? h("p", { class: "none" }, "No head is known."),
    h("h5", {}, "Addresses"),
    addresses ?? h("p", { class: "none" }, mission.currentAddress ?? "No address is known."),
    h("h5", {}, "Accredited to"),
    accreditations ?? h("p", { class: "none" }, "No accreditation is recorded."),
    issues.length
      ? [
          h("h5", {}, "For editors to check"),
          listOf(issues, (issue) => issue.message, { class: "quality" }),
        ]
      : null,
    headsChecked
      ? null
      : h(
          "p",
          { class: "hint" },
          "What to check about its heads' tenures is on ",
          h("a", { href: postRoute(mission.id) }, "the post's page"),
          ".",
        ),
  );
}
