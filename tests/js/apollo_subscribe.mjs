// Apollo Client subscribing over plain HTTP (its multipart subscriptions, no WebSocket):
// prints each result as a JSON line and exits after `count` of them.
// node apollo_subscribe.mjs <url> <query> <variables JSON> <headers JSON> <count>
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";

const [url, query, variables, headers, count] = process.argv.slice(2);
const client = new ApolloClient({
  link: new HttpLink({ uri: url, headers: JSON.parse(headers || "{}") }),
  cache: new InMemoryCache(),
});
let seen = 0;
client
  .subscribe({ query: gql(query), variables: JSON.parse(variables || "{}"), fetchPolicy: "no-cache" })
  .subscribe({
    next: (result) => {
      console.log(JSON.stringify({ data: result.data, errors: result.errors }));
      seen += 1;
      if (seen >= Number(count || 1)) process.exit(0);
    },
    error: (error) => {
      console.log(JSON.stringify({ clientError: String(error?.message ?? error) }));
      process.exit(0);
    },
  });
