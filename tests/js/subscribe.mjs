// One graphql-ws client (graphql-transport-ws): subscribes, prints each message as a JSON
// line, and exits after `count` of them; a refused connection prints its close code.
// node subscribe.mjs <url> <query> <variables JSON> <connectionParams JSON> <count>
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, query, variables, params, count] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: JSON.parse(params || "{}"),
  lazy: false,
  retryAttempts: 0,
  onNonLazyError: (error) => {
    console.log(JSON.stringify({ closed: error?.code ?? null, reason: error?.reason ?? String(error) }));
    process.exit(0);
  },
});
let seen = 0;
client.subscribe(
  { query, variables: JSON.parse(variables || "{}") },
  {
    next: (message) => {
      console.log(JSON.stringify(message));
      seen += 1;
      if (seen >= Number(count || 1)) {
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      // A close event (refused connection), or the operation's GraphQL errors.
      const shown = Array.isArray(error)
        ? { errors: error }
        : { closed: error?.code ?? null, reason: error?.reason ?? String(error) };
      console.log(JSON.stringify(shown));
      process.exit(0);
    },
    complete: () => process.exit(0),
  },
);
