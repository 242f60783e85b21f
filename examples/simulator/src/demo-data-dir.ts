import { mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";

/** Where `npm run demo` keeps its embedded database unless TIFFIN_DATA_DIR says otherwise; `npm start` uses ./.tiffin/data. */
export const DEMO_DATA_DIR = "./.tiffin/demo";

/**
 * The demo's data folder, ready for a run. By default it is its own folder, emptied before each run, so neither
 * `npm start`'s orders nor an earlier demo's leftovers reach the simulation. A folder named by TIFFIN_DATA_DIR is
 * the user's and is used as it is. Relative paths resolve against `cwd` (where `npm run` was typed).
 */
export async function prepareDemoDataDir(env: NodeJS.ProcessEnv, cwd: string): Promise<{ readonly dir: string; readonly fresh: boolean }> {
  const named = env.TIFFIN_DATA_DIR;
  if (named !== undefined && named.trim() !== "") return { dir: resolve(cwd, named), fresh: false };
  const dir = resolve(cwd, DEMO_DATA_DIR);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return { dir, fresh: true };
}
