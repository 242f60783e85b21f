import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { prepareDemoDataDir } from "./demo-data-dir.js";

let cwd: string;
afterEach(async () => {
  if (cwd !== undefined) await rm(cwd, { recursive: true, force: true });
});

describe("the demo's data folder", () => {
  it("is not the folder `npm start` uses, and starts empty on every run", async () => {
    cwd = await mkdtemp(join(tmpdir(), "tiffin-demo-dir-"));
    // `tiffin start`'s default TIFFIN_DATA_DIR (runtime's config test holds it to this).
    const startFolder = join(cwd, ".tiffin/data");
    await mkdir(startFolder, { recursive: true });
    await writeFile(join(startFolder, "PG_VERSION"), "17");

    const first = await prepareDemoDataDir({}, cwd);
    expect(first.fresh).toBe(true);
    expect(first.dir).not.toBe(startFolder);
    await writeFile(join(first.dir, "PG_VERSION"), "17");
    const second = await prepareDemoDataDir({}, cwd);
    expect(second.dir).toBe(first.dir);
    expect(await readdir(second.dir)).toEqual([]);
    // `npm start`'s data is untouched.
    expect(await readdir(startFolder)).toEqual(["PG_VERSION"]);
  });

  it("uses a folder named by TIFFIN_DATA_DIR as it is", async () => {
    cwd = await mkdtemp(join(tmpdir(), "tiffin-demo-dir-"));
    await writeFile(join(cwd, "keep"), "x");
    expect(await prepareDemoDataDir({ TIFFIN_DATA_DIR: "." }, cwd)).toEqual({ dir: cwd, fresh: false });
    expect(await readdir(cwd)).toEqual(["keep"]);
  });
});
