// The two country pickers. They work at once with the chosen pair, then fill with every
// country, page by page (the API gives at most 100 a page).

import { allCountries } from "./countries.js";
import { h } from "./elements.js";
import { language } from "./language.js";

function fill(select, countries, chosen) {
  select.replaceChildren(
    ...countries.map((country) =>
      h(
        "option",
        { value: country.code, selected: country.code === chosen },
        `${country.name} (${country.code})`,
      ),
    ),
  );
}

/**
 * Wire the form: `choose(first, second)` is called on submit. Returns `show(first, second)`,
 * which sets the pickers to the pair a view is showing, and `reload()`, which fills them
 * again (in the language now chosen).
 */
export function setUpPicker(form, choose) {
  const [first, second] = [form.elements.first, form.elements.second];
  let known = [];
  const show = (a, b) => {
    for (const [select, code] of [
      [first, a],
      [second, b],
    ]) {
      if (![...select.options].some((option) => option.value === code)) {
        fill(select, known.length ? known : [{ code, name: code }], code);
      }
      select.value = code;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    choose(first.value, second.value);
  });
  form.elements.swap.addEventListener("click", () => {
    choose(second.value, first.value);
  });
  const reload = () =>
    allCountries(language())
      .then((countries) => {
        known = countries;
        const [a, b] = [first.value, second.value];
        fill(first, countries, a);
        fill(second, countries, b);
      })
      .catch((error) => console.error("Could not load the countries", error));
  reload();
  return { show, reload };
}
