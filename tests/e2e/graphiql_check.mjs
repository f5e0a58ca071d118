// Opens GraphiQL from the gateway in headless Chromium with its clock set to `now`, runs the
// default query, prints the query pane's text, the answer the page got (the result pane renders
// only the lines in view) and every non-loopback request the page tried (all are refused).
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../gateway/graphiql/package.json"));
const { chromium } = require("playwright-core");

const [url, shot, now] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const outside = [];
try {
  const page = await browser.newPage();
  if (now) await page.clock.setFixedTime(new Date(now));
  await page.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === "127.0.0.1" || host === "localhost") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: "networkidle" });
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && (r.request().postData() || "").includes("EveryonesWeek"),
    { timeout: 20000 },
  );
  await page.locator(".graphiql-execute-button").click();
  const answer = await answered;
  await page.locator(".result-window").getByText('"data"').first().waitFor({ timeout: 20000 });
  if (shot) await page.screenshot({ path: shot });
  const query = await page.locator(".graphiql-query-editor").innerText();
  console.log(JSON.stringify({ query, result: JSON.stringify(await answer.json()), outside }));
} finally {
  await browser.close();
}
