// The explorer: reads the address (#/relation/BE/MY, #/person/…, #/organization/…), fetches
// that view with one GraphQL request and shows it, with the query behind it.

import { ApiError, request } from "./api.js";
import { h } from "./elements.js";
import { language, setUpLanguage } from "./language.js";
import { parseRoute, relationRoute } from "./links.js";
import { organizationView, personView } from "./participantView.js";
import { setUpPicker } from "./picker.js";
import { queryPanel } from "./queryPanel.js";
import { relationView } from "./relationView.js";

const VIEWS = { relation: relationView, person: personView, organization: organizationView };

const main = document.getElementById("view");
const status = document.getElementById("status");
const { show: showPair, reload: reloadCountries } = setUpPicker(
  document.getElementById("pair"),
  (first, second) => {
    window.location.hash = relationRoute(first, second);
  },
);

// Answers that arrive after the reader has moved on are dropped.
let latest = 0;

async function show({ moveFocus }) {
  const route = parseRoute(window.location.hash);
  const view = VIEWS[route.name];
  const lang = language();
  const variables = lang ? { ...view.variables(route), lang } : view.variables(route);
  const ticket = ++latest;
  if (route.name === "relation") {
    showPair(route.first, route.second);
  }
  status.textContent = "Loading…";
  main.setAttribute("aria-busy", "true");
  let content;
  let title;
  try {
    const data = await request(view.query, variables);
    ({ title, element: content } = view.render(data, route));
  } catch (error) {
    if (!(error instanceof ApiError)) {
      throw error;
    }
    title = "Something went wrong";
    content = h(
      "section",
      {},
      h("h2", { tabindex: "-1" }, title),
      h(
        "ul",
        { class: "notice error" },
        error.messages.map((message) => h("li", {}, message)),
      ),
    );
  }
  if (ticket !== latest) {
    return;
  }
  // The query sits under the view's heading, where it is seen; a view without one has it last.
  const panel = queryPanel(view.query, variables);
  const head = content.querySelector(".view-head");
  if (head) {
    head.append(panel);
    main.replaceChildren(content);
  } else {
    main.replaceChildren(content, panel);
  }
  main.removeAttribute("aria-busy");
  status.textContent = `Showing ${title}.`;
  document.title = `${title} · Bilateral explorer`;
  if (moveFocus) {
    main.querySelector("h2")?.focus();
  }
}

setUpLanguage(document.getElementById("lang"), () => {
  reloadCountries();
  show({ moveFocus: false });
});
window.addEventListener("hashchange", () => show({ moveFocus: true }));
show({ moveFocus: false });
