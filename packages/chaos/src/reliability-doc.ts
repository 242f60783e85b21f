import { readFile, writeFile } from "node:fs/promises";

export const START_MARKER = "<!-- chaos:start -->";
export const END_MARKER = "<!-- chaos:end -->";

/** Replaces what lies between the markers of `document` with `table`; throws if the markers are missing. */
export function withTable(document: string, table: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`the document has no ${START_MARKER} ... ${END_MARKER} section`);
  return `${document.slice(0, start + START_MARKER.length)}\n${table}\n${document.slice(end)}`;
}

export async function writeTable(path: string, table: string): Promise<void> {
  await writeFile(path, withTable(await readFile(path, "utf8"), table));
}
