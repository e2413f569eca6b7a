// Posts (embassies, consulates): their heads and addresses as bars on the axis, and as text.

import { bar, groupHeading, lane } from "./chart.js";
import { formatDate, formatSpan } from "./dates.js";
import { h, listOf } from "./elements.js";
import { MISSION_KINDS } from "./kinds.js";
import { nameOf, personLink, postLink } from "./links.js";

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
    return formatSpan(head.start, head.end);
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

/** A tenure as a bar, when the data gives it a place on the axis. */
export function tenureBar(scale, head, label) {
  const from = head.start ?? head.inOfficeOn;
  if (!from) {
    return null;
  }
  return bar(scale, { from, to: head.end, ends: tenureEnds(head), label, note: tenureText(head) });
}

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
  const heads = mission.heads.map((head) => tenureBar(scale, head, personLink(head.person)));
  const label = [h("span", { class: "post-kind" }, MISSION_KINDS[mission.kind]), " ", mission.name];
  return lane(label, [addresses, heads], { className: "post-lane" });
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
  const issues = [
    ...mission.qualityIssues,
    ...mission.heads.flatMap((head) => head.qualityIssues),
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
  );
}
