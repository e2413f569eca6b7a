// Talking to /graphql as any frontend would: one POST of JSON per view.

export const ENDPOINT = "/graphql";

// Read-your-writes (README, "Running at scale"): a mutation's answer carries the log
// position (LSN) of its commit; sent back, it keeps this tab's reads off any replica
// that has not replayed that far yet. Kept for the tab, so a reload still sees its writes.
const LSN_HEADER = "X-Bilateral-LSN";
const LSN_KEY = "bilateral.lsn";

/** An LSN ("16/B374D848") as a number of bytes, or null when it is not one. */
function lsnBytes(lsn) {
  const found = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(lsn ?? "");
  return found ? BigInt(`0x${found[1]}`) * 2n ** 32n + BigInt(`0x${found[2]}`) : null;
}

function lastLsn() {
  try {
    return sessionStorage.getItem(LSN_KEY);
  } catch {
    return null; // storage switched off: reads simply do not wait for this tab's writes
  }
}

/** Keep the greatest position an answer has reported. */
function rememberLsn(response) {
  const given = response.headers.get(LSN_HEADER);
  const kept = lastLsn();
  if (lsnBytes(given) !== null && (lsnBytes(kept) === null || lsnBytes(given) > lsnBytes(kept))) {
    try {
      sessionStorage.setItem(LSN_KEY, given);
    } catch {
      // as above
    }
  }
}

/** A GraphQL answer that carries errors instead of (or beside) the data a view needs. */
export class ApiError extends Error {
  constructor(messages) {
    super(messages.join(" "));
    this.name = "ApiError";
    this.messages = messages;
  }
}

/** What to show for a 429: this browser has spent its budget of requests for a while. */
function tooMany(response) {
  const wait = response.headers.get("Retry-After");
  return `Too many requests from here for now${wait ? `: try again in ${wait} s` : ""}.`;
}

/** Run one query and return its data; throws ApiError on GraphQL errors or a failed request. */
export async function request(query, variables) {
  let response;
  const headers = { "Content-Type": "application/json", Accept: "application/graphql-response+json" };
  const lsn = lastLsn();
  if (lsn) {
    headers[LSN_HEADER] = lsn;
  }
  try {
    response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError(["The server could not be reached."]);
  }
  rememberLsn(response);
  let body;
  try {
    body = await response.json();
  } catch {
    if (response.status === 429) {
      throw new ApiError([tooMany(response)]);
    }
    throw new ApiError([`The server answered ${response.status} without a GraphQL result.`]);
  }
  if (body.errors?.length) {
    throw new ApiError(body.errors.map((error) => error.message));
  }
  return body.data;
}

/**
 * A link that opens a query in GraphiQL. It uses `q`, not `query`: a GET /graphql that
 * carries `query` is run as a GraphQL request rather than opening GraphiQL.
 */
export function graphiqlHref(query, variables) {
  const params = new URLSearchParams({ q: query });
  if (variables && Object.keys(variables).length) {
    params.set("variables", JSON.stringify(variables, null, 2));
  }
  return `${ENDPOINT}?${params}`;
}
