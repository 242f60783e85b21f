import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * Builds the console into host-http's dist folder: host-http is the package the image ships and the one that
 * serves these files under /app/, so they travel with it (`files: ["dist"]`) while this package stays private.
 */
export default defineConfig({
  base: "/app/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../host-http/dist/console", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // No inline scripts or data URLs anywhere: the Content-Security-Policy allows files from this origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
