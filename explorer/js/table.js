// A table a reader can sort: each column's heading is a button, its order told by aria-sort,
// so that it works with a keyboard and reads out with a screen reader.

import { h } from "./elements.js";

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compare(a, b) {
  // Missing values go last whichever way the column is sorted.
  if (a === null || a === undefined || a === "") {
    return b === null || b === undefined || b === "" ? 0 : 1;
  }
  if (b === null || b === undefined || b === "") {
    return -1;
  }
  return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(a, b);
}

/**
 * A sortable table. `columns`: [{label, sort(row) → string | number | null, cell(row) → content}];
 * `sortedBy`: the index of the column it starts sorted by, ascending.
 */
export function sortableTable({ caption, columns, rows, sortedBy = 0, className = "" }) {
  let by = sortedBy;
  let direction = 1;
  const body = h("tbody");
  const headings = columns.map((column, index) =>
    h(
      "th",
      { scope: "col" },
      h(
        "button",
        { type: "button", class: "sort", onclick: () => sortBy(index) },
        column.label,
        h("span", { class: "sort-mark", "aria-hidden": "true" }),
      ),
    ),
  );

  function sortBy(index) {
    direction = index === by ? -direction : 1;
    by = index;
    fill();
  }

  function fill() {
    const { sort } = columns[by];
    const ordered = rows
      .map((row) => ({ row, key: sort(row) }))
      .sort((a, b) => {
        const blank = (value) => value === null || value === undefined || value === "";
        if (blank(a.key) || blank(b.key)) {
          return compare(a.key, b.key);
        }
        return direction * compare(a.key, b.key);
      });
    body.replaceChildren(
      ...ordered.map(({ row }) =>
        h(
          "tr",
          {},
          columns.map((column, index) =>
            index === 0
              ? h("th", { scope: "row" }, column.cell(row))
              : h("td", {}, column.cell(row)),
          ),
        ),
      ),
    );
    headings.forEach((heading, index) => {
      if (index === by) {
        heading.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
      } else {
        heading.removeAttribute("aria-sort");
      }
    });
  }

  fill();
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      { class: `sortable ${className}`.trim() },
      h("caption", {}, caption, h("span", { class: "hint" }, " (the column headings sort it)")),
      h("thead", {}, h("tr", {}, headings)),
      body,
    ),
  );
}
