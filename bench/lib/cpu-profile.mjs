// The top frames of a V8 CPU profile (`node --cpu-prof`), by self time, as a markdown table: where a process at load
// spends its CPU, without opening the profile in a viewer.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The newest `.cpuprofile` file in `dir`. */
export function newestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort();
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  return join(dir, files[files.length - 1]);
}

const shortUrl = (url) => url.replace(/^file:\/\//, "").replace(/^.*\/node_modules\//, "").replace(/^.*\/packages\//, "packages/");

/**
 * Frames by self time: `[{ frame, selfPercent }]`, largest first, idle and the GC marker kept as V8 names them.
 * Samples of the first `skipMs` (start-up: module loading, migrations) are left out.
 */
export function topFrames(file, { count = 15, skipMs = 0 } = {}) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const frameOf = new Map(
    profile.nodes.map((node) => {
      const { functionName, url, lineNumber } = node.callFrame;
      return [node.id, url ? `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}` : functionName];
    }),
  );
  const selfHits = new Map();
  let total = 0;
  let at = 0;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (at < skipMs * 1000) return;
    const frame = frameOf.get(id);
    selfHits.set(frame, (selfHits.get(frame) ?? 0) + 1);
    total += 1;
  });
  return [...selfHits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, hits]) => ({ frame, selfPercent: (100 * hits) / total }));
}

/** The frames as markdown table rows. */
export function framesTable(frames) {
  return ["| self % | frame |", "|---:|---|", ...frames.map((f) => `| ${f.selfPercent.toFixed(1)} | \`${f.frame}\` |`)].join("\n");
}
