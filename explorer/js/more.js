// "Load more" under a list that is one page of a connection: the next page is asked for with
// the cursor the last one ended on, and added to the list.

import { ApiError } from "./api.js";
import { h } from "./elements.js";

/**
 * The line under a list: how much of it is shown and, while more follow, a button.
 * `fetchPage(after)` resolves to the next connection ({nodes, pageInfo, totalCount});
 * `addPage(nodes)` adds its items to the list and returns the first new element, which
 * then gets the keyboard focus; `pageSize` is the `first` of `fetchPage`'s query. Nothing
 * when the list is whole.
 */
export function moreControl({ connection, noun, fetchPage, addPage, pageSize = 100 }) {
  if (!connection.pageInfo.hasNextPage) {
    return null;
  }
  let shown = connection.nodes.length;
  let { pageInfo } = connection;
  const total = connection.totalCount;
  const count = h("span", { class: "count" });
  const button = h("button", { type: "button", class: "more" });
  const problem = h("span", { class: "error", role: "alert" });
  const line = h("p", { class: "more-line" }, count, " ", button, " ", problem);

  function update() {
    count.textContent = `Showing ${shown} of ${total} ${noun}.`;
    button.textContent = `Load ${Math.min(total - shown, pageSize)} more`;
    button.hidden = !pageInfo.hasNextPage;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    problem.textContent = "";
    try {
      const page = await fetchPage(pageInfo.endCursor);
      pageInfo = page.pageInfo;
      shown += page.nodes.length;
      const first = addPage(page.nodes);
      update();
      if (first) {
        first.setAttribute("tabindex", first.getAttribute("tabindex") ?? "-1");
        first.focus();
      }
    } catch (error) {
      if (!(error instanceof ApiError)) {
        throw error;
      }
      problem.textContent = `The next page could not be loaded: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  update();
  return line;
}
