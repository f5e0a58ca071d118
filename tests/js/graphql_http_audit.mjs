// Runs the graphql-http server audit against a gateway URL and prints one JSON line per audit
// (MUST audits fail as "error", SHOULD audits as "warn", MAY audits as "notice").
import { auditServer } from "graphql-http";

const [url] = process.argv.slice(2);
const results = await auditServer({ url });
const rows = results.map((r) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  reason: r.status === "ok" ? "" : r.reason,
}));
console.log(JSON.stringify(rows));
