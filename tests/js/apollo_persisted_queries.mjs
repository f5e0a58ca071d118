// Apollo Client with createPersistedQueryLink against a gateway, over POST and over GET: the
// first run of a document sends its hash alone, learns PersistedQueryNotFound and resends with
// the document; the second run sends the hash alone and gets data. Prints every request and
// the data each run got.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { createHash } from "node:crypto";

const [url] = process.argv.slice(2);
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const report = {};

for (const useGET of [false, true]) {
  const sent = [];
  const spy = async (uri, options) => {
    const address = new URL(uri);
    const body = options.body ? JSON.parse(options.body) : null;
    const hasQuery = body ? typeof body.query === "string" : address.searchParams.has("query");
    sent.push({ method: options.method || "GET", hasQuery });
    const answer = await fetch(uri, options);
    sent[sent.length - 1].status = answer.status;
    return answer;
  };
  const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: useGET }).concat(
    new HttpLink({ uri: url, fetch: spy }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const field = useGET ? "overGet" : "overPost";
  const query = gql`query ${field} { ${field}: people(first: 2) { totalCount nodes { name } } }`;
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const result = await client.query({ query, fetchPolicy: "network-only" });
    runs.push({ data: result.data[field].totalCount, errors: result.errors || null });
  }
  report[useGET ? "get" : "post"] = { sent, runs };
}
console.log(JSON.stringify(report));
