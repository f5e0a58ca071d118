// Opens GraphiQL from the gateway in headless Chromium, runs a subscription from the query
// editor, prints {"ready": true} once its WebSocket has sent the subscribe message, then waits
// for `expect` in the result pane and prints the pane's text.
// node graphiql_subscribe.mjs <url> <subscription> <expect>
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../gateway/graphiql/package.json"));
const { chromium } = require("playwright-core");

const [url, subscription, expect] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  // GraphiQL opens with the document it kept from the last visit: this one.
  await page.addInitScript((text) => localStorage.setItem("graphiql:query", text), subscription);
  await page.goto(url, { waitUntil: "networkidle" });
  const subscribed = new Promise((resolve) => {
    page.on("websocket", (socket) => {
      socket.on("framesent", (frame) => {
        if (String(frame.payload).includes('"subscribe"')) resolve(socket.url());
      });
    });
  });
  await page.locator(".graphiql-query-editor").getByText("timerChanged").first().waitFor();
  await page.locator(".graphiql-execute-button").click();
  const socketUrl = await Promise.race([
    subscribed,
    new Promise((_, reject) => setTimeout(() => reject(new Error("no subscribe frame")), 20000)),
  ]);
  console.log(JSON.stringify({ ready: true, socket: socketUrl }));
  await page.locator(".result-window").getByText(expect).first().waitFor({ timeout: 20000 });
  const result = await page.locator(".result-window").innerText();
  console.log(JSON.stringify({ result }));
} finally {
  await browser.close();
}
