import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** A demo identity the embedded server offers the console, with a token minted for it. */
export interface ConsoleIdentity {
  readonly label: string;
  readonly role: "customer" | "restaurant" | "courier" | "admin";
  readonly sub: string;
  readonly restaurantId?: string;
  readonly token: string;
}

export interface ConsoleOptions {
  /** The built console (index.html and assets/); by default the one the console package builds into this package's dist. */
  readonly root?: string;
  /** Offered at GET /app/identities; give them only on the embedded dev platform, never on a server database. */
  readonly identities?: readonly ConsoleIdentity[];
  /** Sign-in with this identity provider, offered at GET /app/oidc; its origin joins the policy's `connect-src`. */
  readonly oidc?: ConsoleOidc;
}

/** What the console needs to sign in with an identity provider: authorization code with PKCE, as a public client. */
export interface ConsoleOidc {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** The API's audience, asked for with RFC 8707 `resource` so the access token is meant for it. */
  readonly resource?: string;
}

/**
 * The console's policy: scripts, styles, images and API calls from this origin only (plus the identity provider's
 * origin for discovery and the token exchange, when sign-in with one is configured); no inline script or style
 * element, no eval, no plugins, no framing, no foreign form targets.
 */
export const consoleCsp = (connectTo: readonly string[] = []): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    ["connect-src 'self'", ...connectTo].join(" "),
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/** The policy without an identity provider. */
export const CONSOLE_CSP = consoleCsp();

/** This package's dist/console, whether this file runs from src (tests) or dist. */
const BUILT_CONSOLE = fileURLToPath(new URL("../../dist/console/", import.meta.url));

/**
 * Serves the web console under /app/ (static files, hashed assets cached for a year, index.html revalidated), every
 * answer with the console's Content-Security-Policy. Its routes are public: the console signs in through the API.
 * Returns false, serving nothing, when the console has not been built.
 */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): Promise<boolean> {
  const root = options.root ?? BUILT_CONSOLE;
  if (!existsSync(`${root}/index.html`)) return false;
  const oidc = options.oidc;
  const csp = consoleCsp(oidc === undefined ? [] : [new URL(oidc.issuer).origin]);
  await app.register(async (scope) => {
    scope.addHook("onRoute", (route) => {
      route.config = { ...route.config, public: true };
    });
    scope.addHook("onSend", async (_request, reply, payload) => {
      void reply.header("content-security-policy", csp);
      void reply.header("x-content-type-options", "nosniff");
      void reply.header("referrer-policy", "no-referrer");
      return payload;
    });
    await scope.register(fastifyStatic, {
      root,
      prefix: "/app/",
      // The docs UI registers @fastify/static too; one `sendFile` decoration is enough.
      decorateReply: false,
      index: ["index.html"],
      cacheControl: false,
      setHeaders: (response, path) => {
        response.setHeader("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
    scope.get("/app", { schema: { hide: true } }, (_request, reply) => reply.redirect("/app/"));
    const identities = options.identities;
    if (identities !== undefined) {
      scope.get("/app/identities", { schema: { hide: true } }, async (_request, reply) => {
        void reply.header("cache-control", "no-store");
        return { items: identities };
      });
    }
    if (oidc !== undefined) {
      scope.get("/app/oidc", { schema: { hide: true } }, async (_request, reply) => {
        void reply.header("cache-control", "no-store");
        return oidc;
      });
    }
  });
  return true;
}
