/** The claims the console reads from a bearer token; the server verifies the signature, the console only routes. */
export interface Session {
  readonly token: string;
  readonly role: "customer" | "restaurant" | "courier" | "admin";
  readonly sub: string;
  readonly restaurantId: string | null;
  /** Expiry in epoch milliseconds, or null when the token has none. */
  readonly expiresAt: number | null;
}

const ROLES = ["customer", "restaurant", "courier", "admin"] as const;

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Reads a pasted or minted JWT into a session, or says why it cannot be used. Tiffin tokens carry `role`, `sub`
 * and, for restaurant staff, `restaurant_id`.
 */
export function readToken(token: string, now = Date.now()): { ok: true; session: Session } | { ok: false; reason: string } {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  const parts = trimmed.split(".");
  if (parts.length !== 3 || parts.some((p) => p === "")) return { ok: false, reason: "not a JWT (three dot-separated parts)" };
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1] ?? "")) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "the token's payload is not JSON" };
  }
  const role = ROLES.find((r) => r === claims.role);
  if (role === undefined) return { ok: false, reason: `unknown role ${JSON.stringify(claims.role)}` };
  if (typeof claims.sub !== "string" || claims.sub === "") return { ok: false, reason: "the token has no subject" };
  const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= now) return { ok: false, reason: "the token has expired" };
  const restaurantId = typeof claims.restaurant_id === "string" ? claims.restaurant_id : null;
  if (role === "restaurant" && restaurantId === null) return { ok: false, reason: "a restaurant token needs restaurant_id" };
  return { ok: true, session: { token: trimmed, role, sub: claims.sub, restaurantId, expiresAt } };
}

/** Where a session is kept: memory always, session storage (this tab only, gone when it closes) when given. */
export class TokenStore {
  private current: Session | null = null;
  private static readonly KEY = "tiffin.console.token";

  constructor(private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null) {
    const saved = storage?.getItem(TokenStore.KEY) ?? null;
    if (saved !== null) {
      const read = readToken(saved);
      if (read.ok) this.current = read.session;
      else storage?.removeItem(TokenStore.KEY);
    }
  }

  /** The signed-in session, or null once it has expired. */
  session(now = Date.now()): Session | null {
    if (this.current?.expiresAt != null && this.current.expiresAt <= now) this.signOut();
    return this.current;
  }

  signIn(token: string): Session {
    const read = readToken(token);
    if (!read.ok) throw new Error(read.reason);
    this.current = read.session;
    this.storage?.setItem(TokenStore.KEY, read.session.token);
    return read.session;
  }

  signOut(): void {
    this.current = null;
    this.storage?.removeItem(TokenStore.KEY);
  }
}
