import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerToken, createTokenVerifier, mintToken } from "./jwt.js";

const SECRET = "unit-secret-unit-secret-unit-secret!";

describe("HS256 tokens", () => {
  const verify = createTokenVerifier({ kind: "secret", secret: SECRET });

  it("turns sub, role and restaurant_id into the principal", async () => {
    expect(await verify(await mintToken(SECRET, { role: "customer", sub: "alice" }))).toEqual({ role: "customer", id: "alice" });
    expect(await verify(await mintToken(SECRET, { role: "restaurant", sub: "staff", restaurantId: "r-1" }))).toEqual({
      role: "restaurant",
      id: "staff",
      restaurantId: "r-1",
    });
  });

  it("ignores restaurant_id on other roles", async () => {
    const token = await new SignJWT({ role: "customer", restaurant_id: "r-1" }).setProtectedHeader({ alg: "HS256" }).setSubject("alice").sign(new TextEncoder().encode(SECRET));
    expect(await verify(token)).toEqual({ role: "customer", id: "alice" });
  });

  it("rejects another algorithm even with the right secret", async () => {
    const token = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS512" }).setSubject("eve").sign(new TextEncoder().encode(SECRET));
    await expect(verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("reads only well-formed bearer headers", () => {
    expect(bearerToken("Bearer a.b.c")).toBe("a.b.c");
    expect(() => bearerToken("bearer")).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
    expect(() => bearerToken(undefined)).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
  });
});

describe("JWKS tokens", () => {
  let url: string;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  const server = createServer();

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server.on("request", (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setSubject("courier-1").setExpirationTime("5m").sign(privateKey);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies tokens signed by a key the JWKS publishes", async () => {
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: url });
    expect(await verify(await sign({ role: "courier" }))).toEqual({ role: "courier", id: "courier-1" });
  });

  it("checks the issuer and audience when they are configured, refusing a token meant for another app", async () => {
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: url, issuer: "https://id.example", audience: "tiffin-api" });
    const ours = await sign({ role: "courier", iss: "https://id.example", aud: "tiffin-api" });
    expect(await verify(ours)).toEqual({ role: "courier", id: "courier-1" });
    for (const claims of [{ iss: "https://id.example", aud: "another-app" }, { iss: "https://other.example", aud: "tiffin-api" }, {}]) {
      await expect(verify(await sign({ role: "courier", ...claims }))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
  });

  it("rejects an HS256 token signed with the public key's JSON as a secret (algorithm confusion)", async () => {
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: url });
    const confused = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256", kid: "k1" }).setSubject("eve").sign(new TextEncoder().encode("x".repeat(32)));
    await expect(verify(confused)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
