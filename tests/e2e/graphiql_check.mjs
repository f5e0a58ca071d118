// Opens GraphiQL from the gateway in headless Chromium, runs the default query, prints the
// result pane's text and every non-loopback request the page tried (all are refused).
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../gateway/graphiql/package.json"));
const { chromium } = require("playwright-core");

const [url, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const outside = [];
try {
  const page = await browser.newPage();
  await page.route("**/*", (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === "127.0.0.1" || host === "localhost") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".result-window");
  await result.getByText('"CLOCKIFY"').first().waitFor({ timeout: 20000 });
  if (shot) await page.screenshot({ path: shot });
  console.log(JSON.stringify({ result: await result.innerText(), outside }));
} finally {
  await browser.close();
}
