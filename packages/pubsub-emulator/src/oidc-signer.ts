import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import type { OidcSigner } from "./push-delivery.js";

/** A signing key the test controls, standing in for Google's: the signer for the emulator and the public JWKS. */
export interface TestOidcKey {
  readonly signer: OidcSigner;
  readonly jwks: { keys: JWK[] };
}

/** Creates an RS256 key pair (Google signs push tokens with RS256) and its JWKS. */
export async function createTestOidcKey(kid = "emulator-key-1"): Promise<TestOidcKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return {
    signer: (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(privateKey),
    jwks: { keys: [jwk] },
  };
}
