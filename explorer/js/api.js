// Talking to /graphql as any frontend would: one POST of JSON per view.

export const ENDPOINT = "/graphql";

/** A GraphQL answer that carries errors instead of (or beside) the data a view needs. */
export class ApiError extends Error {
  constructor(messages) {
    super(messages.join(" "));
    this.name = "ApiError";
    this.messages = messages;
  }
}

/** Run one query and return its data; throws ApiError on GraphQL errors or a failed request. */
export async function request(query, variables) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError(["The server could not be reached."]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
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
