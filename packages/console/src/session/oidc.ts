import * as oauth from "oauth4webapi";

/** The identity provider the server configured for the console (GET /app/oidc). */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** The API's audience, asked for with RFC 8707 `resource`. */
  readonly resource?: string;
}

/** What survives the round trip through the provider: this tab's session storage, removed when it comes back. */
interface PendingSignIn {
  readonly state: string;
  readonly codeVerifier: string;
}

const PENDING_KEY = "tiffin.console.oidc";

/** Where the provider sends the browser back: the console's own page, without query or fragment. */
export const redirectUri = (location: Pick<Location, "origin" | "pathname">): string => `${location.origin}${location.pathname}`;

/**
 * Plain http is accepted for a provider on this machine only (a development issuer on 127.0.0.1 or localhost);
 * anywhere else the provider must be https, as oauth4webapi requires by default.
 */
function requestOptions(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  const loopback = issuer.hostname === "127.0.0.1" || issuer.hostname === "localhost" || issuer.hostname === "[::1]";
  return issuer.protocol === "http:" && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Starts the authorization code flow with PKCE (a public client: no secret in the browser). The verifier and state
 * wait in this tab's session storage; the browser leaves for the provider's sign-in page.
 */
export async function beginSignIn(settings: OidcSettings, storage: Pick<Storage, "setItem">, location: Pick<Location, "origin" | "pathname" | "assign">): Promise<void> {
  const server = await discover(settings);
  if (server.authorization_endpoint === undefined) throw new Error(`${settings.issuer} publishes no authorization endpoint`);
  const pending: PendingSignIn = { state: oauth.generateRandomState(), codeVerifier: oauth.generateRandomCodeVerifier() };
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", redirectUri(location));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", settings.scope);
  url.searchParams.set("state", pending.state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  if (settings.resource !== undefined) url.searchParams.set("resource", settings.resource);
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url.href);
}

/** Whether this page load is the provider sending the browser back (a `code` or an `error` with a `state`). */
export const isSignInCallback = (url: URL): boolean => url.searchParams.has("state") && (url.searchParams.has("code") || url.searchParams.has("error"));

/**
 * Finishes a sign-in the provider sent back: checks the state, exchanges the code (with the PKCE verifier) for an
 * access token, and returns it. The one-time code is in the URL only until this runs; the caller removes it.
 */
export async function completeSignIn(settings: OidcSettings, storage: Pick<Storage, "getItem" | "removeItem">, callback: URL): Promise<string> {
  const saved = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (saved === null) throw new Error("no sign-in was started in this tab; start it again");
  const pending = JSON.parse(saved) as PendingSignIn;
  const server = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const parameters = oauth.validateAuthResponse(server, client, callback, pending.state);
  const options = {
    ...requestOptions(new URL(settings.issuer)),
    ...(settings.resource === undefined ? {} : { additionalParameters: { resource: settings.resource } }),
  };
  const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), parameters, redirectUri(callback), pending.codeVerifier, options);
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  return tokens.access_token;
}
