#!/usr/bin/env node
// The `tiffin` command. npm links this file at install time, when a fresh checkout has no `dist` yet (the root
// `prepare` script builds it afterwards), so the link exists and loads the built CLI once it is there.
try {
  await import("../dist/main.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/main.js")) {
    process.stderr.write("tiffin: the CLI is not built yet; run `npm run build` (or `npx tsc -b`) in the repository first\n");
    process.exit(1);
  }
  throw error;
}
