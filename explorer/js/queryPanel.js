// The query behind a view, shown under it, with a link that opens it in GraphiQL.

import { graphiqlHref } from "./api.js";
import { h } from "./elements.js";

export function queryPanel(query, variables) {
  const link = h(
    "a",
    { class: "button-link", href: graphiqlHref(query, variables) },
    "Open this query in GraphiQL",
  );
  return h(
    "aside",
    { class: "query-panel", "aria-label": "The GraphQL query behind this view" },
    h(
      "details",
      {},
      h(
        "summary",
        {},
        "The GraphQL query behind this view ",
        h("span", { class: "hint" }, "(one request)"),
      ),
      h("pre", {}, h("code", {}, query)),
      h("p", { class: "variables" }, "Variables: ", h("code", {}, JSON.stringify(variables))),
    ),
    link,
  );
}
