import { type Server, createServer } from "node:http";
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose";

/**
 * A stand-in for Google's OIDC issuer in tests: serves a JWKS on loopback and signs tokens shaped like the ones
 * Cloud Scheduler and Pub/Sub push send (`iss` accounts.google.com, `aud`, `email`, `email_verified`).
 */
export class TestOidcIssuer {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    readonly jwksUrl: string,
  ) {}

  static async start(): Promise<TestOidcIssuer> {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    return new TestOidcIssuer(server, privateKey, `http://127.0.0.1:${address.port}/certs`);
  }

  /** A token as Google would mint it for `email`, for `audience`; `expiresIn` lets a test send a stale one. */
  async token(audience: string, email: string, options: { expiresIn?: string; issuer?: string } = {}): Promise<string> {
    return new SignJWT({ email, email_verified: true })
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(options.issuer ?? "https://accounts.google.com")
      .setAudience(audience)
      .setSubject("1234567890")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(this.privateKey);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
