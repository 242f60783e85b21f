import { loadConfig } from "@tiffin/runtime";
import { describe, expect, it } from "vitest";
import { consoleEnabled, withDefaultHost } from "./run-hosts.js";

describe("the interface a host listens on", () => {
  const embedded = { TIFFIN_DATA_DIR: "/tmp/tiffin-host-test" };

  it("is loopback for `tiffin start` when TIFFIN_HOST is not set", () => {
    expect(withDefaultHost("start", loadConfig(embedded), embedded).host).toBe("127.0.0.1");
  });

  it("is what TIFFIN_HOST says for `tiffin start` when it is set", () => {
    const env = { ...embedded, TIFFIN_HOST: "0.0.0.0" };
    expect(withDefaultHost("start", loadConfig(env), env).host).toBe("0.0.0.0");
  });

  it("is every interface for the container commands `serve` and `work`", () => {
    for (const mode of ["serve", "work"] as const) {
      expect(withDefaultHost(mode, loadConfig(embedded), embedded).host).toBe("0.0.0.0");
    }
  });
});

describe("whether the web console is served", () => {
  const served = (env: Record<string, string>) =>
    (["start", "serve", "work"] as const).filter((mode) => consoleEnabled(mode, loadConfig({ TIFFIN_DATA_DIR: "/tmp/tiffin-host-test", ...env })));

  it("is with `tiffin start` by default, with `serve` only when TIFFIN_CONSOLE=on, never by the worker", () => {
    expect(served({})).toEqual(["start"]);
    expect(served({ TIFFIN_CONSOLE: "on" })).toEqual(["start", "serve"]);
    expect(served({ TIFFIN_CONSOLE: "off" })).toEqual([]);
  });

  it("refuses a value it does not know", () => {
    expect(() => loadConfig({ TIFFIN_CONSOLE: "yes" })).toThrow("TIFFIN_CONSOLE");
  });
});
