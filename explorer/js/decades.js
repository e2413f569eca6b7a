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
  for (let decade = first; decade <= last; decade += 10) {
    const count = counts.get(decade) ?? 0;
    rows.push(
      h(
        "li",
        {},
        h("span", { class: "decade" }, `${decade}s`),
        h(
          "span",
          { class: "decade-bar" },
          h("span", { class: "fill", style: { width: `${(count / most) * 100}%` } }),
        ),
        h("span", { class: "decade-count" }, `${count} opened`),
      ),
    );
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
