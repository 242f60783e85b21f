import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedTiffin, findChromium, freePort } from "./embedded-tiffin.js";
import { TestIdentityProvider } from "./identity-provider.js";

const CHROMIUM = findChromium();
const WAIT = { timeout: 45_000 };
// RFC 8707: a resource indicator is an absolute URI.
const AUDIENCE = "https://api.tiffin.test";

describe.skipIf(CHROMIUM === null)("the console signs in with an OpenID Connect provider (authorization code with PKCE)", () => {
  let dataDir: string;
  let provider: TestIdentityProvider;
  let tiffin: EmbeddedTiffin;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tiffin-oidc-"));
    const port = await freePort();
    provider = await TestIdentityProvider.start({ port: await freePort(), clientId: "tiffin-console", redirectUri: `http://127.0.0.1:${port}/app/`, audience: AUDIENCE });
    tiffin = await EmbeddedTiffin.start(dataDir, {
      port,
      env: {
        TIFFIN_JWT_JWKS_URL: provider.jwksUrl,
        TIFFIN_JWT_ISSUER: provider.issuer,
        TIFFIN_JWT_AUDIENCE: AUDIENCE,
        TIFFIN_CONSOLE_OIDC_CLIENT_ID: "tiffin-console",
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM ?? "", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await tiffin?.stop();
    await provider?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("goes to the provider, comes back signed in with an access token the API accepts, and keeps no code in the address", async () => {
    const page = await (await browser.newContext()).newPage();
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    await page.goto(tiffin.consoleUrl);
    // No demo identities without Tiffin's own secret: the provider and a pasted token are the ways in.
    await page.getByRole("button", { name: "Sign in with your identity provider" }).click();

    // The provider's development pages: any name (here: a customer), any password, then consent.
    await page.waitForURL((url) => url.origin === provider.issuer, WAIT);
    await page.locator("input[name=login]").fill("customer-oidc");
    await page.locator("input[name=password]").fill("any");
    await page.locator("button[type=submit]").click();
    await page.locator("button[type=submit]").click();

    await page.waitForURL((url) => url.href.startsWith(tiffin.consoleUrl), WAIT);
    await page.locator(".whoami .sub").filter({ hasText: "customer-oidc" }).waitFor(WAIT);
    expect(new URL(page.url()).search).toBe("");
    // The customer's screen, and the provider's access token (kept in this tab only) is one the API accepts.
    await page.getByRole("heading", { name: "Restaurants near you" }).waitFor(WAIT);
    const token = await page.evaluate(() => sessionStorage.getItem("tiffin.console.token"));
    const orders = await fetch(`${tiffin.url}/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(orders.status).toBe(200);
  }, 120_000);
});
