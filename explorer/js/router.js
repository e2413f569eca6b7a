// Moving between views without reloading the page: links to the explorer's own addresses push a
// history entry and show the view; the back and forward buttons show the view of their entry.

import { parseRoute, pathOfHash } from "./links.js";

let changed = () => {};

/** Show the view at this address, as a new history entry. */
export function navigate(address) {
  window.history.pushState(null, "", address);
  changed();
}

/** Whether a click on this link is one the explorer answers itself, in this tab. */
function handledHere(event, link) {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    (link.getAttribute("target") ?? "_self") !== "_self" ||
    link.hasAttribute("download")
  ) {
    return false;
  }
  // getAttribute: a link inside an SVG (a post on a map) has no string `href` property.
  const url = new URL(link.getAttribute("href"), window.location.href);
  if (url.origin !== window.location.origin || !parseRoute(url)) {
    return false;
  }
  // A link to a place on this very view (#event-3, the skip link) is left to the browser.
  const here = url.pathname === window.location.pathname && url.search === window.location.search;
  return !(here && url.hash);
}

/** Call `show()` whenever the address names another view. */
export function setUpRouter(show) {
  changed = show;
  window.addEventListener("popstate", () => show());
  window.addEventListener("hashchange", () => {
    const moved = pathOfHash(window.location.hash);
    if (moved) {
      window.history.replaceState(null, "", moved);
      show();
    }
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    if (link && handledHere(event, link)) {
      event.preventDefault();
      navigate(new URL(link.getAttribute("href"), window.location.href).href);
    }
  });
}
