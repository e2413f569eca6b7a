// The list of events under a timeline: each opens to its summary, participants, quotes,
// figures and sources.

import { formatDate } from "./dates.js";
import { h, listOf } from "./elements.js";
import { EVENT_KINDS, VISIT_TYPES } from "./kinds.js";
import { nameOf, personLink } from "./links.js";

const eventAnchor = (id) => `event-${id}`;

/** When an event happened: one date, or a span for an event of several days. */
function when(event) {
  return event.endDate
    ? `${formatDate(event.date)} – ${formatDate(event.endDate)}`
    : formatDate(event.date);
}

/** A figure as it reads: 65,718 t, MYR 306M, 11. */
function formatFigure({ value, unit }) {
  if (/^[A-Z]{3}$/.test(unit)) {
    const big = Math.abs(value) >= 1e6;
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency: unit,
      currencyDisplay: "code",
      notation: big ? "compact" : "standard",
      maximumFractionDigits: big ? 1 : 2,
    }).format(value);
  }
  const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(value);
  return unit === "1" ? number : `${number} ${unit}`;
}

function sourceItem(source) {
  const title = source.url
    ? h("a", { href: source.url, rel: "noopener" }, source.title)
    : source.title;
  return [title, source.section ? ` — section “${source.section}”` : null];
}

/** Sources as a short list, for events and for the relation itself. */
export function sourceList(sources) {
  return listOf(sources, sourceItem, { class: "sources" });
}

function eventBody(event) {
  return h(
    "div",
    { class: "event-body" },
    h("p", { class: "summary" }, event.summary),
    event.place
      ? h("p", { class: "place" }, h("span", { class: "field" }, "Where "), event.place.name)
      : null,
    event.participants.length
      ? [
          h("h4", {}, "Participants"),
          listOf(
            event.participants,
            ({ role, participant }) => [
              nameOf(participant),
              role ? h("span", { class: "role" }, role) : null,
            ],
            { class: "participants" },
          ),
        ]
      : null,
    event.quotes.length
      ? [
          h("h4", {}, "Quotes"),
          event.quotes.map((quote) =>
            h(
              "figure",
              { class: "quote" },
              h("blockquote", {}, `“${quote.text.trim()}”`),
              h(
                "figcaption",
                {},
                "— ",
                personLink(quote.speaker),
                quote.date ? `, ${formatDate(quote.date)}` : null,
              ),
            ),
          ),
        ]
      : null,
    event.figures.length
      ? [
          h("h4", {}, "Figures"),
          h(
            "dl",
            { class: "figures" },
            event.figures.map((figure) => [
              h("dt", {}, figure.label),
              h("dd", {}, formatFigure(figure)),
            ]),
          ),
        ]
      : null,
    event.sources.length ? [h("h4", {}, "Sources"), sourceList(event.sources)] : null,
  );
}

/** The decade an event falls in: "1832-06-18" → 1830. */
export const decadeOf = (date) => Math.floor(Number(date.slice(0, 4)) / 10) * 10;

/** A heading in a list of events where a new decade begins. */
const decadeMark = (decade) =>
  h("li", { class: "decade-mark", "data-decade": decade }, h("h4", {}, `${decade}s`));

/**
 * The items for events, with a decade heading before the first event of each decade that
 * `list` (where they go) does not already end in.
 */
function itemsFor(list, events, roleOf) {
  const items = [];
  let decade = list.dataset.lastDecade ? Number(list.dataset.lastDecade) : null;
  for (const event of events) {
    const own = decadeOf(event.date);
    if (own !== decade) {
      items.push(decadeMark(own));
      decade = own;
    }
    items.push(eventItem(event, roleOf(event)));
  }
  if (decade !== null) {
    list.dataset.lastDecade = String(decade);
  }
  return items;
}

/** One event of a list, a disclosure; `role` is the part the view's subject played in it. */
export function eventItem(event, role = null) {
  return h(
    "li",
    {},
    h(
      "details",
      { id: eventAnchor(event.id), "data-kind": event.kind },
      h(
        "summary",
        {},
        h("time", { datetime: event.date }, when(event)),
        h("span", { class: "kind", "data-kind": event.kind }, EVENT_KINDS[event.kind]),
        h("span", { class: "title" }, event.title),
        event.visitType ? h("span", { class: "visit-type" }, VISIT_TYPES[event.visitType]) : null,
        role ? h("span", { class: "role" }, `as ${role}`) : null,
      ),
      eventBody(event),
    ),
  );
}

/**
 * Events, oldest first, each a disclosure, under a heading for each decade. `roleOf(event)`
 * may name the part the view's subject played in it.
 */
export function eventList(events, roleOf = () => null) {
  const list = h("ol", { class: "events" });
  list.append(...itemsFor(list, events, roleOf));
  return list;
}

/** Add a page of events to a list made by eventList(); returns the first new one's summary. */
export function addEvents(list, events, roleOf = () => null) {
  const items = itemsFor(list, events, roleOf);
  list.append(...items);
  return items.find((item) => item.querySelector("summary"))?.querySelector("summary") ?? null;
}

/** Open an event of the list, bring it into view and put the keyboard focus on it. */
export function openEvent(event) {
  const details = document.getElementById(eventAnchor(event.id));
  if (!details) {
    return;
  }
  details.open = true;
  details.scrollIntoView({ behavior: "smooth", block: "start" });
  details.querySelector("summary").focus({ preventScroll: true });
}
