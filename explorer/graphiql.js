// Starts GraphiQL, with the query explorer plugin, from the files the server serves itself.
// The page is opened as /graphql?q=<query>&variables=<json>: `q` and not `query`, because a
// GET /graphql that carries `query` is a GraphQL request and is answered with its result.

const { React, ReactDOM, GraphiQL, GraphiQLPluginExplorer } = window;

const WELCOME = `# Bilateral's GraphiQL. Run a query with Ctrl-Enter or the ▶ button;
# the Explorer (left) builds one by ticking fields, the Docs describe every type.
{
  relation(between: ["BE", "MY"]) {
    established
    countries { code name }
    events(first: 5) { nodes { date kind title } }
  }
}
`;

const params = new URLSearchParams(window.location.search);
// Read once: later edits go to the address bar, not back into the editors.
const opened = {
  query: params.get("q") ?? params.get("query") ?? undefined,
  variables: params.get("variables") ?? undefined,
};

/** Keep the address bar in step with the editors, so that it can be copied and shared. */
function remember(name, value) {
  if (value) {
    params.set(name, value);
  } else {
    params.delete(name);
  }
  const search = params.toString();
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

const endpoint = new URL("/graphql", window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

const fetcher = GraphiQL.createFetcher({
  url: endpoint.href,
  subscriptionUrl: socket.href,
});

// GraphiQL's own introspection query nests `ofType` so deep (15 levels) that the API's depth
// limit refuses it. This one asks the same questions with type references five wrappers deep,
// enough for the deepest type in the schema ([String!]! is three), and stays within the limit.
const INTROSPECTION = `
query ShallowIntrospection {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) {
    name description isDeprecated deprecationReason
    args { ...InputValue }
    type { ...TypeRef }
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description defaultValue type { ...TypeRef } }
fragment TypeRef on __Type {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
}`;

/** The API's schema, or undefined (GraphiQL then tries, and shows, its own introspection). */
async function loadSchema() {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query: INTROSPECTION }),
    });
    const { data } = await response.json();
    return GraphiQL.GraphQL.buildClientSchema(data);
  } catch (error) {
    console.error("Could not load the schema", error);
    return undefined;
  }
}

function Page() {
  // null until the schema is in: GraphiQL then waits instead of introspecting by itself.
  const [schema, setSchema] = React.useState(null);
  React.useEffect(() => {
    loadSchema().then(setSchema);
  }, []);
  return React.createElement(GraphiQL, {
    fetcher,
    schema,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: WELCOME,
    query: opened.query,
    variables: opened.variables,
    onEditQuery: (text) => remember("q", text),
    onEditVariables: (text) => remember("variables", text),
    defaultEditorToolsVisibility: Boolean(opened.variables),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Page));
