import { type Server, createServer } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

/** Who signs in at the provider's development login page, by the name typed there: `<role>-<anything>`. */
const roleOf = (accountId: string): string => accountId.split("-")[0] ?? "";

/**
 * A real OpenID Connect provider (panva's oidc-provider) on loopback for the console's sign-in test: one public
 * client (PKCE required, no secret), access tokens as RS256 JWTs for the API's audience carrying Tiffin's `role`
 * claim, and the library's development login and consent pages (any name, any password).
 */
export class TestIdentityProvider {
  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }

  static async start(options: { port: number; clientId: string; redirectUri: string; audience: string }): Promise<TestIdentityProvider> {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const issuer = `http://127.0.0.1:${options.port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: options.clientId,
          token_endpoint_auth_method: "none",
          redirect_uris: [options.redirectUri],
          response_types: ["code"],
          grant_types: ["authorization_code"],
        },
      ],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" }] },
      pkce: { required: () => true },
      clientBasedCORS: () => true,
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
      extraTokenClaims: (_ctx, token) => ("accountId" in token && typeof token.accountId === "string" ? { role: roleOf(token.accountId) } : {}),
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => options.audience,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: "openid", audience: options.audience, accessTokenFormat: "jwt", jwt: { sign: { alg: "RS256" } } }),
        },
      },
    });
    const server = createServer(provider.callback());
    await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
    return new TestIdentityProvider(server, issuer);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
