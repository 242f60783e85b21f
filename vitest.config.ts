import { fileURLToPath } from "node:url";
import { type Plugin, defineConfig } from "vitest/config";

const packagesDir = fileURLToPath(new URL("./packages/", import.meta.url));
const WORKSPACE_IMPORT = /^@tiffin\/([a-z-]+)(?:\/([a-z-]+))?$/;

/**
 * Tests import workspace packages from source, so no build is needed between an edit and a test run:
 * `@tiffin/<pkg>` -> packages/<pkg>/src/index.ts, `@tiffin/<pkg>/<sub>` -> packages/<pkg>/src/<sub>/index.ts.
 */
const workspaceSource: Plugin = {
  name: "tiffin-workspace-source",
  enforce: "pre",
  resolveId(source) {
    const match = WORKSPACE_IMPORT.exec(source);
    if (!match) return null;
    const [, pkg, sub] = match;
    return `${packagesDir}${pkg}/src/${sub ? `${sub}/` : ""}index.ts`;
  },
};

const ignored = ["**/node_modules/**", "**/dist/**"];

export default defineConfig({
  plugins: [workspaceSource],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "examples/*/src/**/*.test.ts"],
          exclude: [...ignored, "**/*.int.test.ts", "**/*.e2e.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "int",
          include: ["packages/*/src/**/*.int.test.ts", "examples/*/src/**/*.int.test.ts"],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["packages/*/src/**/*.e2e.test.ts", "examples/*/src/**/*.e2e.test.ts"],
          exclude: ignored,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      // With a server in CI, the e2e tiers above run on PostgreSQL; these files run again on embedded PGlite, the
      // default a newcomer meets with `npm start`.
      ...(process.env.TIFFIN_TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: "e2e-embedded",
                include: ["packages/cli/src/e2e/{order-flow,api-safety,shutdown}.e2e.test.ts"],
                exclude: ignored,
                env: { TIFFIN_E2E_EMBEDDED: "1" },
                testTimeout: 120_000,
                hookTimeout: 120_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
