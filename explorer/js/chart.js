// One year axis per view, and the lanes drawn on it: events as dots, tenures and addresses as bars.

import { formatDate, thisYear, yearOf } from "./dates.js";
import { h } from "./elements.js";
import { EVENT_KINDS } from "./kinds.js";

// A dot is 15 px wide: dots nearer each other than this go on separate rows of their lane.
const DOT_SPACING_PX = 17;
// A lane of events grows to this many rows at most; beyond, dots overlap where they crowd
// (each stays a button, named, in the list below as well).
const MAX_DOT_ROWS = 10;
// How far, in years, an unknown end fades out after the last date the sources vouch for.
const UNKNOWN_TAIL = 7;

/** An axis from the decade of the earliest date to the decade after today. */
export function makeScale(dates) {
  const now = thisYear();
  const years = dates.filter(Boolean).map(yearOf);
  const from = Math.floor(Math.min(now - 10, ...years) / 10) * 10;
  const to = Math.ceil((now + 1) / 10) * 10;
  const at = (year) => ((year - from) / (to - from)) * 100;
  // The tracks are about as wide as the view less the chart's padding (measured when drawn).
  const trackWidth = Math.max(240, (document.getElementById("view")?.clientWidth ?? 960) - 62);
  const dotGap = (DOT_SPACING_PX / trackWidth) * 100;
  return { from, to, now, at, dotGap, decades: (to - from) / 10 };
}

const percent = (value) => `${value.toFixed(3)}%`;

/** The figure holding the axis and the lanes. */
export function chart(scale, caption, ...lanes) {
  const ticks = [];
  for (let year = scale.from; year <= scale.to; year += 10) {
    const edge = year === scale.from ? "first" : year === scale.to ? "last" : null;
    // Every other label gives way on narrow screens, where a decade is a few dozen pixels.
    const minor = ((year - scale.from) / 10) % 2 === 1;
    const style = { left: percent(scale.at(year)) };
    ticks.push(
      h("span", { class: minor ? "tick minor" : "tick", "data-edge": edge, style }, String(year)),
    );
  }
  return h(
    "figure",
    {
      class: "chart",
      style: { "--decades": scale.decades, "--today": percent(scale.at(scale.now)) },
    },
    h("figcaption", { class: "visually-hidden" }, caption),
    h(
      "div",
      { class: "axis", "aria-hidden": "true" },
      ticks,
      h("span", { class: "today" }, "today"),
    ),
    lanes,
  );
}

/** A labelled strip of the axis. */
export function lane(label, content, { rows = 1, className = "", trackAttributes = {} } = {}) {
  return h(
    "div",
    { class: `lane ${className}`.trim() },
    h("div", { class: "lane-label" }, label),
    h("div", { class: "track", style: { "--rows": rows }, ...trackAttributes }, content),
  );
}

/** A heading across the chart, above a group of lanes. */
export function groupHeading(text) {
  return h("div", { class: "lane-group" }, text);
}

/**
 * One lane per kind of event, a dot per event; `pick(event)` opens the event. `totals` (kind →
 * count), where given, says how many of each kind there are when not all are drawn.
 */
export function eventLanes(scale, events, pick, totals = new Map()) {
  return Object.entries(EVENT_KINDS)
    .map(([kind, label]) => {
      const ofKind = events.filter((event) => event.kind === kind);
      if (!ofKind.length) {
        return null;
      }
      const rowEnds = [];
      const dots = ofKind.map((event) => {
        const x = scale.at(yearOf(event.date));
        let row = rowEnds.findIndex((end) => x - end >= scale.dotGap);
        if (row === -1 && rowEnds.length < MAX_DOT_ROWS) {
          row = rowEnds.push(x) - 1;
        } else {
          if (row === -1) {
            row = rowEnds.indexOf(Math.min(...rowEnds));
          }
          rowEnds[row] = x;
        }
        const text = `${formatDate(event.date)}: ${event.title}`;
        return h("button", {
          type: "button",
          class: "dot",
          "data-kind": kind,
          style: { left: percent(x), "--row": row },
          "aria-label": text,
          title: text,
          onclick: () => pick(event),
        });
      });
      const name = [
        h("span", { class: "swatch", "data-kind": kind }),
        `${label} · ${ofKind.length}`,
        (totals.get(kind) ?? 0) > ofKind.length ? ` of ${totals.get(kind)}` : null,
      ];
      return lane(name, dots, { rows: rowEnds.length, className: "events-lane" });
    })
    .filter(Boolean);
}

/**
 * A bar from `from` to `to` with a label. How it ends: "known" (solid to `to`), "ongoing"
 * (solid to today) or "unknown" (a mark at `from` and a dashed tail that fades out).
 * `hover` is the row's tooltip (default: the note); `mark` a class that sets the row apart.
 */
export function bar(scale, { from, to, ends, label, note, hover = note, mark = null }) {
  const start = scale.at(yearOf(from));
  let end;
  if (ends === "known") {
    end = scale.at(yearOf(to));
  } else if (ends === "ongoing") {
    end = scale.at(scale.now);
  } else {
    end = scale.at(Math.min(yearOf(from) + UNKNOWN_TAIL, scale.now));
  }
  const width = Math.max(end - start, 0.8);
  // Labels of bars in the right half hang to the left of the bar's end, so they stay on screen.
  const place =
    start < 55 ? { left: percent(start) } : { right: percent(Math.max(0, 100 - start - width)) };
  return h(
    "div",
    { class: mark ? `bar-row ${mark}` : "bar-row", title: hover ?? null },
    h(
      "span",
      { class: "bar-label", style: place },
      label,
      note ? h("span", { class: "bar-note" }, ` ${note}`) : null,
    ),
    h("span", {
      class: `bar ${ends}`,
      style: { left: percent(start), width: percent(width) },
      title: hover ?? "",
    }),
  );
}
