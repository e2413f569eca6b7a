// The language country names are shown in: a choice kept in the browser, sent as `lang`.

const KEY = "bilateral.lang";

/** The language chosen for country names, as the API's `lang` takes it; null for English. */
export function language() {
  return window.localStorage.getItem(KEY) || null;
}

/** Wire the language menu: it shows the choice and calls `changed()` after a new one. */
export function setUpLanguage(select, changed) {
  select.value = language() ?? "";
  select.addEventListener("change", () => {
    if (select.value) {
      window.localStorage.setItem(KEY, select.value);
    } else {
      window.localStorage.removeItem(KEY);
    }
    changed();
  });
}
