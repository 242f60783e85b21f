import { resolveJwt } from "./dev-secret.js";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.js";

const SECRET = "s".repeat(32);
const server = { TIFFIN_DATABASE_URL: "postgres://app@db:5432/tiffin", TIFFIN_JWT_SECRET: SECRET };

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs embedded with nothing set: PGlite in ./.tiffin/data, Postgres transport, a generated secret", () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./.tiffin/data" });
    expect(config.broker.kind).toBe("postgres");
    expect(config.jwt).toEqual({ kind: "generate" });
    expect(config.port).toBe(3000);
    expect(config.kitchen).toBe("manual");
    // A person taking the banner's offer by hand gets a minute; a server deployment keeps the 10 s default.
    expect(config.offerTtlMs).toBe(60_000);
    expect(config.logFormat).toBe("auto");
    expect(loadConfig({ TIFFIN_OFFER_TTL_MS: "5000" }).offerTtlMs).toBe(5000);
    expect(config).toMatchObject({ readyTimeoutMs: 30 * 60_000, pickupTimeoutMs: 15 * 60_000 });
    expect(loadConfig({ TIFFIN_READY_TIMEOUT_MS: "120000", TIFFIN_PICKUP_TIMEOUT_MS: "60000" })).toMatchObject({ readyTimeoutMs: 120_000, pickupTimeoutMs: 60_000 });
    expect(() => loadConfig({ TIFFIN_PICKUP_TIMEOUT_MS: "0" })).toThrow(/TIFFIN_PICKUP_TIMEOUT_MS/);
  });

  it("reads a server deployment", () => {
    const env = { ...server, PORT: "8080", TIFFIN_BROKER: "aws", AWS_REGION: "eu-west-1", TIFFIN_KITCHEN: "auto" };
    const config = loadConfig(env);
    expect(config.database).toEqual({ kind: "postgres", url: server.TIFFIN_DATABASE_URL, poolSize: 20 });
    // The adapter package reads its own variables (AWS_REGION here) from the environment it is handed.
    expect(config.broker).toEqual({ kind: "aws", env });
    expect(config.jwt).toEqual({ kind: "secret", secret: SECRET });
    expect(config.port).toBe(8080);
    expect(config.kitchen).toBe("auto");
    expect(config.offerTtlMs).toBe(10_000);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT", "must be an integer"],
    [{ PORT: "70000" }, "PORT", "0..65535"],
    [{ TIFFIN_BROKER: "kafka" }, "TIFFIN_BROKER", "must be one of postgres, memory, gcp, aws, azure"],
    [{ TIFFIN_DATABASE_URL: "mysql://x" }, "TIFFIN_DATABASE_URL", "must use postgres or postgresql"],
    [{ TIFFIN_JWT_SECRET: "short" }, "TIFFIN_JWT_SECRET", "at least 32"],
    [{ TIFFIN_JWT_JWKS_URL: "not a url" }, "TIFFIN_JWT_JWKS_URL", "must be a URL"],
    [{ TIFFIN_PAYMENT_FAILURE_RATE: "1.5" }, "TIFFIN_PAYMENT_FAILURE_RATE", "0..1"],
    [{ TIFFIN_KITCHEN: "robot" }, "TIFFIN_KITCHEN", "manual, auto"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT", "must use http or https"],
    [{ ...server, TIFFIN_DATABASE_SCHEMA: "Bad-Schema" }, "TIFFIN_DATABASE_SCHEMA", "lowercase SQL identifier"],
    [{ ...server, TIFFIN_DATABASE_POOL_SIZE: "0" }, "TIFFIN_DATABASE_POOL_SIZE", "1..500"],
  ])("stops on %o with one line naming %s", (env, variable, problem) => {
    const error = failure(env);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain("\n");
  });

  it("never echoes a secret or a database password", () => {
    expect(failure({ TIFFIN_JWT_SECRET: "hunter2" }).message).not.toContain("hunter2");
    expect(failure({ TIFFIN_DATABASE_URL: "mysql://u:pa55word@h/db" }).message).not.toContain("pa55word");
  });

  it("treats a blank variable as unset", () => {
    expect(loadConfig({ PORT: " ", TIFFIN_BROKER: "" }).port).toBe(3000);
  });

  it("accepts exactly one of a secret and a JWKS URL", () => {
    expect(loadConfig({ TIFFIN_DATABASE_URL: "postgres://h/db", TIFFIN_JWT_JWKS_URL: "https://id.example/jwks" }).jwt).toEqual({
      kind: "jwks",
      jwksUrl: "https://id.example/jwks",
    });
    expect(failure({ TIFFIN_JWT_SECRET: SECRET, TIFFIN_JWT_JWKS_URL: "https://id.example/jwks" }).variable).toBe("TIFFIN_JWT_SECRET");
  });

  it("checks an identity provider's issuer and audience, and signs the console in with it when given a client id", () => {
    const idp = { TIFFIN_DATABASE_URL: "postgres://h/db", TIFFIN_JWT_JWKS_URL: "https://id.example/jwks", TIFFIN_JWT_ISSUER: "https://id.example" };
    const config = loadConfig({ ...idp, TIFFIN_JWT_AUDIENCE: "tiffin-api", TIFFIN_CONSOLE_OIDC_CLIENT_ID: "console" });
    expect(config.jwt).toEqual({ kind: "jwks", jwksUrl: "https://id.example/jwks", issuer: "https://id.example", audience: "tiffin-api" });
    expect(config.consoleOidc).toEqual({ issuer: "https://id.example", clientId: "console", scope: "openid", resource: "tiffin-api" });
    expect(loadConfig(idp).consoleOidc).toBeNull();
    // Without the provider's issuer (or with Tiffin's own secret) there is nobody to sign in with.
    expect(failure({ ...idp, TIFFIN_JWT_ISSUER: "", TIFFIN_CONSOLE_OIDC_CLIENT_ID: "console" }).variable).toBe("TIFFIN_CONSOLE_OIDC_CLIENT_ID");
    expect(failure({ TIFFIN_JWT_SECRET: SECRET, TIFFIN_JWT_ISSUER: "https://id.example" }).variable).toBe("TIFFIN_JWT_ISSUER");
    expect(failure({ TIFFIN_JWT_SECRET: SECRET, TIFFIN_JWT_AUDIENCE: "tiffin-api" }).variable).toBe("TIFFIN_JWT_AUDIENCE");
  });

  it("asks for the JWT secret only of commands that verify tokens", async () => {
    const worker = loadConfig({ TIFFIN_DATABASE_URL: "postgres://x/db" });
    expect(worker.jwt).toEqual({ kind: "missing" });
    const refused = await resolveJwt(worker).catch((error: unknown) => error as ConfigError);
    expect(refused).toMatchObject({ code: "CONFIG_INVALID", variable: "TIFFIN_JWT_SECRET" });
    expect((refused as ConfigError).message).toContain("is required");
  });
});
