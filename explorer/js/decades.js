// A country's network over time: how many of its posts opened in each decade, where known.

import { h } from "./elements.js";

/** The decade a partial date falls in: "1957-03" → 1950. */
const decadeOf = (date) => Math.floor(Number(date.slice(0, 4)) / 10) * 10;

/**
 * Bars of posts opened per decade, from the first decade with an opening to the last, empty
 * decades included; a list, so that a screen reader reads each decade and its count.
 */
export function decadeChart(posts, caption) {
  const dated = posts.filter((post) => post.opened);
  if (!dated.length) {
    return h(
      "p",
      { class: "none" },
      `None of the ${posts.length} posts has a known opening date.`,
    );
  }
  const counts = new Map();
  for (const post of dated) {
    const decade = decadeOf(post.opened);
    counts.set(decade, (counts.get(decade) ?? 0) + 1);
  }
  const decades = [...counts.keys()];
  const [first, last] = [Math.min(...decades), Math.max(...decades)];
  const most = Math.max(...counts.values());
  const rows = [];
  const bar = (label, count) =>
    h(
      "li",
      {},
      h("span", { class: "decade" }, label),
      h(
        "span",
        { class: "decade-bar" },
        h("span", { class: "fill", style: { width: `${(count / most) * 100}%` } }),
      ),
      h("span", { class: "decade-count" }, `${count} opened`),
    );
  for (let decade = first; decade <= last; decade += 10) {
    // A long run of decades without an opening is one line, so that a lone early date does not
    // stretch the chart over centuries.
    let end = decade;
    while (end + 10 <= last && !counts.has(end + 10)) {
      end += 10;
    }
    if (!counts.has(decade) && end - decade >= 20) {
      rows.push(
        h(
          "li",
          { class: "gap" },
          h("span", { class: "decade" }, `${decade}s–${end}s`),
          h("span", { class: "decade-bar" }),
          h("span", { class: "decade-count" }, "0 opened"),
        ),
      );
      decade = end;
    } else {
      rows.push(bar(`${decade}s`, counts.get(decade) ?? 0));
    }
  }
  return h(
    "figure",
    { class: "decades" },
    h(
      "figcaption",
      {},
      caption,
      ` ${dated.length} of ${posts.length} posts have a known opening date.`,
    ),
    h("ol", { class: "decade-list" }, rows),
  );
}
