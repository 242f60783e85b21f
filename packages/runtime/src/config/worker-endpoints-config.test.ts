import { describe, expect, it } from "vitest";
import { workerEndpointsConfig } from "./worker-endpoints-config.js";

const fails = (env: Record<string, string>) => {
  try {
    workerEndpointsConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
};

describe("the worker endpoints' configuration", () => {
  it("pulls by default and accepts no task caller", () => {
    expect(workerEndpointsConfig({})).toEqual({ delivery: "pull" });
  });

  it("reads push delivery, the task secret and the OIDC callers", () => {
    const config = workerEndpointsConfig({
      TIFFIN_DELIVERY: "push",
      TIFFIN_TASK_SECRET: "x".repeat(32),
      TIFFIN_OIDC_AUDIENCE: "https://worker.example/tasks/tick",
      TIFFIN_OIDC_EMAILS: "scheduler@p.iam.gserviceaccount.com, push@p.iam.gserviceaccount.com",
    });
    expect(config.delivery).toBe("push");
    expect(config.oidc?.emails).toEqual(["scheduler@p.iam.gserviceaccount.com", "push@p.iam.gserviceaccount.com"]);
    expect(config.oidc?.jwksUrl).toBe("https://www.googleapis.com/oauth2/v3/certs");
  });

  it("names the variable that is wrong", () => {
    expect(fails({ TIFFIN_DELIVERY: "both" })).toMatch(/^TIFFIN_DELIVERY /);
    expect(fails({ TIFFIN_TASK_SECRET: "short" })).toMatch(/^TIFFIN_TASK_SECRET must be at least 32/);
    expect(fails({ TIFFIN_OIDC_AUDIENCE: "https://w" })).toMatch(/^TIFFIN_OIDC_EMAILS is required/);
    expect(fails({ TIFFIN_OIDC_EMAILS: "a@b" })).toMatch(/^TIFFIN_OIDC_AUDIENCE is required/);
    expect(fails({ TIFFIN_OIDC_JWKS_URL: "http://keys.example/certs" })).toMatch(/^TIFFIN_OIDC_JWKS_URL must use https/);
  });
});
