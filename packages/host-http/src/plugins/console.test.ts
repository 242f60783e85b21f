import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@tiffin/core";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTokenVerifier } from "../auth/jwt.js";
import { registerProblemHandling } from "../problems/error-handler.js";
import { registerAuth } from "./auth.js";
import { CONSOLE_CSP, consoleCsp, registerConsole } from "./console.js";

describe("the console plugin", () => {
  let root: string;
  let app: FastifyInstance;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "console-"));
    await mkdir(join(root, "assets"));
    await writeFile(join(root, "index.html"), '<!doctype html><script type="module" src="/app/assets/app.js"></script>');
    await writeFile(join(root, "assets", "app.js"), "export {};");
    app = Fastify();
    registerProblemHandling(app, silentLogger);
    // Every other route needs a token: the console's own files must not.
    registerAuth(app, createTokenVerifier({ kind: "secret", secret: "console-test-secret-console-test-secret" }));
  });
  afterEach(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves the app without a token, with the strict policy, caching hashed assets and revalidating the page", async () => {
    expect(await registerConsole(app, { root })).toBe(true);
    const page = await app.inject({ url: "/app/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain("unsafe");
    expect(page.headers["cache-control"]).toBe("no-cache");
    const asset = await app.inject({ url: "/app/assets/app.js" });
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await app.inject({ url: "/app" })).headers.location).toBe("/app/");
  });

  it("offers demo identities only when it is given them", async () => {
    await registerConsole(app, { root });
    expect((await app.inject({ url: "/app/identities" })).statusCode).toBe(404);

    const other = Fastify();
    const identities = [{ label: "Customer c", role: "customer" as const, sub: "c", token: "t" }];
    await registerConsole(other, { root, identities });
    const answer = await other.inject({ url: "/app/identities" });
    expect(answer.json()).toEqual({ items: identities });
    expect(answer.headers["cache-control"]).toBe("no-store");
    await other.close();
  });

  it("offers sign-in with an identity provider only when configured, letting the page reach that provider only", async () => {
    await registerConsole(app, { root });
    expect((await app.inject({ url: "/app/oidc" })).statusCode).toBe(404);

    const other = Fastify();
    const oidc = { issuer: "https://id.example/realms/tiffin", clientId: "console", scope: "openid" };
    await registerConsole(other, { root, oidc });
    const answer = await other.inject({ url: "/app/oidc" });
    expect(answer.json()).toEqual(oidc);
    expect(answer.headers["content-security-policy"]).toContain("connect-src 'self' https://id.example;");
    expect((await other.inject({ url: "/app/" })).headers["content-security-policy"]).toBe(consoleCsp(["https://id.example"]));
    await other.close();
  });

  it("serves nothing when the console was not built", async () => {
    expect(await registerConsole(app, { root: join(root, "missing") })).toBe(false);
    expect((await app.inject({ url: "/app/" })).statusCode).toBe(404);
  });
});
