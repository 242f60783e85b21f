import { describe, expect, it } from "vitest";
import { TokenStore, readToken } from "./token.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.signature`;
const NOW = Date.parse("2026-12-02T10:00:00Z");
const inAnHour = NOW / 1000 + 3600;

/** Session storage as the browser has it, for one tab. */
class TabStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe("reading a token", () => {
  it("reads role, subject, restaurant and expiry, with or without a Bearer prefix", () => {
    const token = jwt({ role: "restaurant", sub: "staff-1", restaurant_id: "r-1", exp: inAnHour });
    expect(readToken(`Bearer ${token}`, NOW)).toEqual({
      ok: true,
      session: { token, role: "restaurant", sub: "staff-1", restaurantId: "r-1", expiresAt: inAnHour * 1000 },
    });
  });

  it("says why a token cannot be used", () => {
    expect(readToken("not-a-token", NOW)).toEqual({ ok: false, reason: "not a JWT (three dot-separated parts)" });
    expect(readToken(jwt({ role: "pirate", sub: "x" }), NOW)).toMatchObject({ ok: false, reason: 'unknown role "pirate"' });
    expect(readToken(jwt({ role: "customer", sub: "c", exp: NOW / 1000 - 1 }), NOW)).toMatchObject({ ok: false, reason: "the token has expired" });
    expect(readToken(jwt({ role: "restaurant", sub: "s" }), NOW)).toMatchObject({ ok: false, reason: "a restaurant token needs restaurant_id" });
  });
});

describe("the token store", () => {
  it("keeps the session in this tab's storage, so a reload stays signed in, and forgets it on sign-out", () => {
    const tab = new TabStorage();
    const token = jwt({ role: "customer", sub: "cust-1", exp: inAnHour + 10 * 365 * 24 * 3600 });
    new TokenStore(tab).signIn(token);
    const reloaded = new TokenStore(tab);
    expect(reloaded.session()?.sub).toBe("cust-1");
    reloaded.signOut();
    expect(new TokenStore(tab).session()).toBeNull();
    expect(tab.items.size).toBe(0);
  });

  it("drops an expired session, in memory and in storage", () => {
    const tab = new TabStorage();
    const store = new TokenStore(tab);
    const exp = Date.now() / 1000 + 60;
    store.signIn(jwt({ role: "courier", sub: "c-1", exp }));
    expect(store.session(exp * 1000 - 1)?.sub).toBe("c-1");
    expect(store.session(exp * 1000)).toBeNull();
    expect(tab.items.size).toBe(0);
  });

  it("refuses a malformed token and keeps nothing", () => {
    const tab = new TabStorage();
    expect(() => new TokenStore(tab).signIn("garbage")).toThrow("not a JWT");
    expect(tab.items.size).toBe(0);
  });

  it("works without storage (memory only)", () => {
    const store = new TokenStore(null);
    store.signIn(jwt({ role: "admin", sub: "ops" }));
    expect(store.session()?.role).toBe("admin");
  });
});
