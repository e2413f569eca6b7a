// A relation's events at a glance: how many of each kind in each decade (the API's
// `eventCounts`), as bars that pick a decade, and a choice of kind; both narrow the list below.

import { h } from "./elements.js";
import { EVENT_KINDS } from "./kinds.js";

const plural = (count) => `${count} event${count === 1 ? "" : "s"}`;

/** The filter of `Relation.events` for a choice: {kinds, from, to}, or null for all events. */
export function eventFilter({ kind, decade }) {
  if (!kind && decade === null) {
    return null;
  }
  const filter = {};
  if (kind) {
    filter.kinds = [kind];
  }
  if (decade !== null) {
    filter.from = String(decade);
    filter.to = String(decade + 9);
  }
  return filter;
}

/** How many events of each kind tallies ({decade, kind, count}) count: kind → count. */
export function kindTotals(tallies) {
  const totals = new Map();
  for (const { kind, count } of tallies) {
    totals.set(kind, (totals.get(kind) ?? 0) + count);
  }
  return totals;
}

/** Tallies ({decade, kind, count}) by decade, oldest first: [decade, Map(kind → count)]. */
function byDecade(tallies) {
  const decades = new Map();
  for (const { decade, kind, count } of tallies) {
    if (!decades.has(decade)) {
      decades.set(decade, new Map());
    }
    decades.get(decade).set(kind, count);
  }
  return [...decades.entries()].sort(([a], [b]) => a - b);
}

/**
 * The overview and its controls. `choose({kind, decade})` is called with the new choice
 * (kind null for every kind, decade null for every decade) each time it changes.
 */
export function eventOverview(tallies, choose) {
  const choice = { kind: null, decade: null };
  const decades = byDecade(tallies);
  const totals = kindTotals(tallies);
  const all = [...totals.values()].reduce((sum, count) => sum + count, 0);
  const most = Math.max(1, ...decades.map(([, kinds]) => sum(kinds, null)));
  const buttons = [];

  function sum(kinds, kind) {
    return kind ? (kinds.get(kind) ?? 0) : [...kinds.values()].reduce((a, b) => a + b, 0);
  }

  function update() {
    for (const button of buttons) {
      const decade = Number(button.dataset.decade);
      const count = sum(decades.find(([d]) => d === decade)[1], choice.kind);
      button.setAttribute("aria-pressed", String(choice.decade === decade));
      button.querySelector(".decade-count").textContent = plural(count);
      button.disabled = count === 0;
    }
    choose({ ...choice });
  }

  const kindPicker = h(
    "select",
    {
      name: "kind",
      onchange: (event) => {
        choice.kind = event.target.value || null;
        update();
      },
    },
    h("option", { value: "" }, `Every kind (${plural(all)})`),
    Object.entries(EVENT_KINDS)
      .filter(([kind]) => totals.has(kind))
      .map(([kind, label]) => h("option", { value: kind }, `${label} (${totals.get(kind)})`)),
  );

  const rows = decades.map(([decade, kinds]) => {
    const total = sum(kinds, null);
    const segments = Object.keys(EVENT_KINDS)
      .filter((kind) => kinds.has(kind))
      .map((kind) =>
        h("span", {
          class: "segment",
          "data-kind": kind,
          style: { width: `${(kinds.get(kind) / most) * 100}%` },
          title: `${EVENT_KINDS[kind]}: ${kinds.get(kind)}`,
        }),
      );
    const button = h(
      "button",
      {
        type: "button",
        class: "decade-pick",
        "data-decade": decade,
        "aria-pressed": "false",
        title: [...kinds]
          .map(([kind, count]) => `${EVENT_KINDS[kind] ?? kind}: ${count}`)
          .join(", "),
        onclick: () => {
          choice.decade = choice.decade === decade ? null : decade;
          update();
        },
      },
      h("span", { class: "decade" }, `${decade}s`),
      h("span", { class: "decade-bar" }, segments),
      h("span", { class: "decade-count" }, plural(total)),
    );
    buttons.push(button);
    return h("li", {}, button);
  });

  return h(
    "div",
    { class: "event-overview" },
    h(
      "p",
      { class: "event-controls" },
      h("label", {}, "Kind of event ", kindPicker),
      " ",
      h(
        "button",
        {
          type: "button",
          class: "all-decades",
          onclick: () => {
            choice.decade = null;
            update();
          },
        },
        "Every decade",
      ),
    ),
    h(
      "figure",
      { class: "decades" },
      h("figcaption", {}, "Events by decade: pick a decade to list its events only."),
      h("ol", { class: "decade-list" }, rows),
    ),
  );
}
