#!/usr/bin/env node
/* global performance, document */
// `npm run bench:console`: the console's weight and how fast it first renders. Weight: every built JS and CSS file,
// raw and gzip-compressed (level 9, as a server would send it). First render: Chromium opens the sign-in screen
// from host-http's console plugin, RUNS times on a fresh context; reported are first contentful paint and the time
// until the app has drawn its first screen, median and worst. The budget fails the run when exceeded.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import Fastify from "fastify";
import { chromium } from "playwright-core";
import { registerConsole } from "@tiffin/host-http";

const BUDGET_JS_GZIP = 100 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const built = fileURLToPath(new URL("../../host-http/dist/console/", import.meta.url));
const assets = join(built, "assets");

const files = readdirSync(assets).filter((name) => /\.(js|css)$/.test(name));
const sizes = files.map((name) => {
  const bytes = readFileSync(join(assets, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const s of sizes) console.log(`${s.name.padEnd(28)} ${kb(s.raw).padStart(9)} raw  ${kb(s.gzip).padStart(9)} gzip`);
const jsGzip = sizes.filter((s) => s.name.endsWith(".js")).reduce((sum, s) => sum + s.gzip, 0);
const cssGzip = sizes.filter((s) => s.name.endsWith(".css")).reduce((sum, s) => sum + s.gzip, 0);
console.log(`JavaScript ${kb(jsGzip)} gzip (budget ${kb(BUDGET_JS_GZIP)}), CSS ${kb(cssGzip)} gzip`);

const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (chromiumPath === undefined) {
  console.log("first render: skipped, no Chromium (apt-get install chromium, or set CHROMIUM_PATH)");
} else {
  const app = Fastify();
  await registerConsole(app, {});
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const fcp = [];
  const drawn = [];
  for (let run = 0; run < RUNS; run += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/app/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const timing = await page.evaluate(() => ({
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
      now: performance.now(),
      nodes: document.querySelectorAll("#root *").length,
    }));
    fcp.push(timing.fcp);
    drawn.push(timing.now);
    await context.close();
  }
  await browser.close();
  await app.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (n) => `${n.toFixed(0)} ms`;
  console.log(`first contentful paint: median ${ms(median(fcp))}, worst ${ms(Math.max(...fcp))} (${RUNS} cold loads, loopback)`);
  console.log(`sign-in screen seen by the driver (an upper bound): median ${ms(median(drawn))}, worst ${ms(Math.max(...drawn))}`);
}
if (jsGzip > BUDGET_JS_GZIP) {
  console.error(`over budget: ${kb(jsGzip)} of JavaScript gzip > ${kb(BUDGET_JS_GZIP)}`);
  process.exit(1);
}
