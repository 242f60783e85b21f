import { readFile } from "node:fs/promises";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url);

interface LockedPackage {
  readonly engines?: { readonly node?: string } | readonly string[];
  readonly optional?: boolean;
}

/**
 * The Node.js versions the repository declares (`engines.node` of the root package) and runs on: the machine's
 * Node 20 and the image's Node 24 LTS. `npm ci` warns EBADENGINE for any installed package whose own
 * `engines.node` excludes the running version; this holds every package in the lock file to those versions.
 */
describe("declared engines", () => {
  it("are true: every installed package accepts the Node.js versions the repository runs on", async () => {
    const root = JSON.parse(await readFile(new URL("package.json", ROOT), "utf8")) as { engines: { node: string } };
    const lock = JSON.parse(await readFile(new URL("package-lock.json", ROOT), "utf8")) as { packages: Record<string, LockedPackage> };
    const lowest = semver.minVersion(root.engines.node)?.version;
    expect(lowest).toBeDefined();
    const versions = [lowest!, process.versions.node, "24.11.0"];
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines !== undefined && !Array.isArray(entry.engines) ? (entry.engines as { node?: string }).node : undefined;
      // Optional packages are platform binaries npm skips, not warns about.
      if (range === undefined || entry.optional === true) continue;
      for (const version of versions) if (!semver.satisfies(version, range)) refused.push(`${path} needs node ${range}, not ${version}`);
    }
    expect(refused).toEqual([]);
  });
});
