// Every country the API knows, loaded once per language and shared: the pickers list them, the
// maps find a country's shape by its ISO numeric code (Natural Earth's id) and name it.

import { request } from "./api.js";
import { COUNTRY_PAGE } from "./queries.js";

const loaded = new Map();

async function loadAll(lang) {
  const countries = [];
  let after = null;
  do {
    const { countries: page } = await request(COUNTRY_PAGE, lang ? { after, lang } : { after });
    countries.push(
      ...page.nodes.map(({ identifiers, ...country }) => ({
        ...country,
        numeric: identifiers.find((code) => code.scheme === "ISO_NUMERIC")?.value ?? null,
      })),
    );
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  const collation = (lang ?? "en").replace("_", "-").split("@")[0];
  return countries.sort((a, b) => a.name.localeCompare(b.name, collation));
}

/**
 * Every country, by name in the language (null: English), each {code, name, english, numeric}.
 * One load per language; a failed load is tried again on the next call.
 */
export function allCountries(lang) {
  const key = lang ?? "";
  if (!loaded.has(key)) {
    loaded.set(
      key,
      loadAll(lang).catch((error) => {
        loaded.delete(key);
        throw error;
      }),
    );
  }
  return loaded.get(key);
}
