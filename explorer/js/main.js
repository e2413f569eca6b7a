// The explorer: reads the address (/relation/BE/MY, /country/NL, /post/…, /search?q=…), fetches
// that view with one GraphQL request and shows it, with the query behind it.

import { ApiError, request } from "./api.js";
import { countriesView } from "./countriesView.js";
import { countryView } from "./countryView.js";
import { h } from "./elements.js";
import { language, setUpLanguage } from "./language.js";
import { parseRoute, pathOfHash, relationRoute, searchRoute } from "./links.js";
import { organizationView, personView } from "./participantView.js";
import { setUpPicker } from "./picker.js";
import { postView } from "./postView.js";
import { queryPanel } from "./queryPanel.js";
import { relationView } from "./relationView.js";
import { navigate, setUpRouter } from "./router.js";
import { searchView } from "./searchView.js";

const VIEWS = {
  relation: relationView,
  country: countryView,
  countries: countriesView,
  person: personView,
  organization: organizationView,
  post: postView,
  search: searchView,
};

const main = document.getElementById("view");
const status = document.getElementById("status");
const searchBox = document.getElementById("search-text");
const { show: showPair, reload: reloadCountries } = setUpPicker(
  document.getElementById("pair"),
  (first, second) => navigate(relationRoute(first, second)),
);
document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = searchBox.value.trim();
  if (text) {
    navigate(searchRoute(text));
  }
});

// Answers that arrive after the reader has moved on are dropped.
let latest = 0;

function errorView(messages) {
  const title = "Something went wrong";
  return {
    title,
    element: h(
      "section",
      {},
      h("h2", { tabindex: "-1" }, title),
      h(
        "ul",
        { class: "notice error" },
        messages.map((message) => h("li", {}, message)),
      ),
    ),
  };
}

function notFoundView() {
  const title = "No such view";
  return {
    title,
    element: h(
      "section",
      {},
      h("h2", { tabindex: "-1" }, title),
      h("p", { class: "notice" }, "The explorer has no view at this address."),
    ),
  };
}

async function show({ moveFocus }) {
  const route = parseRoute(new URL(window.location.href));
  const view = route ? VIEWS[route.name] : null;
  const lang = language();
  const ticket = ++latest;
  if (route?.name === "relation") {
    showPair(route.first, route.second);
  }
  if (route?.name === "search") {
    searchBox.value = route.text;
  }
  status.textContent = "Loading…";
  main.setAttribute("aria-busy", "true");
  const variables = view ? { ...view.variables(route), ...(lang ? { lang } : {}) } : {};
  let shown;
  try {
    if (!view) {
      shown = notFoundView();
    } else {
      const data = await (view.load ? view.load(variables) : request(view.query, variables));
      performance.mark("view-response");
      shown = view.render(data, route, { variables });
    }
  } catch (error) {
    if (!(error instanceof ApiError)) {
      throw error;
    }
    shown = errorView(error.messages);
  }
  if (ticket !== latest) {
    return;
  }
  const { title, element: content } = shown;
  // The query sits under the view's heading, where it is seen; a view without one has it last.
  const panel = view?.query ? queryPanel(view.query, variables) : null;
  const head = content.querySelector(".view-head");
  if (head && panel) {
    head.append(panel);
    main.replaceChildren(content);
  } else {
    main.replaceChildren(...[content, panel].filter(Boolean));
  }
  main.removeAttribute("aria-busy");
  status.textContent = `Showing ${title}.`;
  document.title = `${title} · Bilateral explorer`;
  if (moveFocus) {
    main.querySelector("h2")?.focus();
  }
}

// Addresses of the earlier form (/#/relation/BE/MY) still open their view, at its own path now.
const moved = pathOfHash(window.location.hash);
if (moved) {
  window.history.replaceState(null, "", moved);
}

setUpLanguage(document.getElementById("lang"), () => {
  reloadCountries();
  show({ moveFocus: false });
});
setUpRouter(() => show({ moveFocus: true }));
show({ moveFocus: false });
