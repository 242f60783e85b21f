import { describe, expect, it } from "vitest";
import { azureBrokerConfigFromEnv, isEmulator, resolveAzureBrokerConfig } from "./azure-config.js";

const EMULATOR = "Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true;";

describe("Azure broker config", () => {
  it("takes a connection string, or a namespace host name for DefaultAzureCredential", () => {
    const dev = azureBrokerConfigFromEnv({ SERVICEBUS_CONNECTION_STRING: EMULATOR });
    expect(dev).toMatchObject({ connectionString: EMULATOR, createTopology: false, lockDurationMs: 60_000 });
    expect(isEmulator(dev)).toBe(true);
    const prod = azureBrokerConfigFromEnv({ SERVICEBUS_NAMESPACE: "tiffin-prod.servicebus.windows.net" });
    expect(prod).toMatchObject({ fullyQualifiedNamespace: "tiffin-prod.servicebus.windows.net" });
    expect(isEmulator(prod)).toBe(false);
  });

  it.each([
    [{}, /SERVICEBUS_CONNECTION_STRING or SERVICEBUS_NAMESPACE/],
    [{ SERVICEBUS_CONNECTION_STRING: "SharedAccessKey=x" }, /SERVICEBUS_CONNECTION_STRING must contain Endpoint=sb:/],
    [{ SERVICEBUS_NAMESPACE: "https://x" }, /SERVICEBUS_NAMESPACE must be a host name/],
    [{ SERVICEBUS_CONNECTION_STRING: EMULATOR, TIFFIN_CREATE_TOPOLOGY: "yes" }, /TIFFIN_CREATE_TOPOLOGY must be/],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => azureBrokerConfigFromEnv(env)).toThrow(message);
    expect(() => azureBrokerConfigFromEnv(env)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });

  it("refuses timings outside what the service allows", () => {
    expect(() => resolveAzureBrokerConfig({ connectionString: EMULATOR, lockDurationMs: 400_000 })).toThrow(/lockDurationMs/);
    expect(() => resolveAzureBrokerConfig({ connectionString: EMULATOR, sessionIdleMs: 0 })).toThrow(/sessionIdleMs/);
  });
});
