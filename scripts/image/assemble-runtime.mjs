#!/usr/bin/env node
// Assembles the container image's runtime folder: every published workspace packed with `npm pack` (so only what
// each package's `files` lists travels), then installed with production dependencies only. The Dockerfile runs
// this in its build stage and copies the folder into the runtime stage; `npm run verify:image` runs it into a
// temporary folder and drives the result, so whatever the image would miss fails there first.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The workspaces an image carries: every non-private package under packages/ (examples are not shipped). */
export function publishedWorkspaces(root = ROOT) {
  const dir = join(root, "packages");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ dir: join(dir, entry.name), manifest: JSON.parse(readFileSync(join(dir, entry.name, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/**
 * Packs the (already built) workspaces into `<dest>/packs` and installs them into `<dest>/node_modules` with
 * `--omit=dev`. Every workspace is a direct dependency, so the `@tiffin/*` packages resolve to these tarballs and
 * never to a registry. Returns the installed package names.
 */
export function assembleRuntime(dest, { root = ROOT, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const target = resolve(dest);
  const packs = join(target, "packs");
  mkdirSync(packs, { recursive: true });
  const workspaces = publishedWorkspaces(root);
  const dependencies = {};
  for (const { dir, manifest } of workspaces) {
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", packs], { cwd: dir, encoding: "utf8" });
    const [packed] = JSON.parse(out);
    dependencies[manifest.name] = `file:./packs/${packed.filename}`;
    log(`packed ${manifest.name}: ${packed.entryCount} files, ${packed.size} bytes`);
  }
  const manifest = { name: "tiffin-image", private: true, type: "module", dependencies };
  writeFileSync(join(target, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(target, "package-lock.json"), `${JSON.stringify(seededLockfile(root, manifest), null, 2)}\n`);
  execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: target, stdio: ["ignore", "inherit", "inherit"] });
  log(`installed ${Object.keys(dependencies).length} packages into ${target} (production dependencies only)`);
  return Object.keys(dependencies);
}

/**
 * A lockfile for the image folder seeded with the repository's: npm keeps a locked version wherever it still
 * satisfies the packed manifests, so the image gets the third-party versions CI tested, not the newest in range.
 * Workspace links are left out (the tarballs replace them); npm prunes what production does not need.
 */
function seededLockfile(root, manifest) {
  const repo = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const packages = { "": { name: manifest.name, dependencies: manifest.dependencies } };
  for (const [path, entry] of Object.entries(repo.packages)) {
    if (!path.startsWith("node_modules/") || path.startsWith("node_modules/@tiffin/") || entry.link === true) continue;
    packages[path] = entry;
  }
  return { name: manifest.name, lockfileVersion: 3, requires: true, packages };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (dest === undefined) {
    process.stderr.write("usage: assemble-runtime.mjs <destination folder>\n");
    process.exit(2);
  }
  assembleRuntime(dest);
}
