import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const coreSrc = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const domainDir = join(coreSrc, "domain");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

const isTest = (file: string): boolean => /\.test\.ts$/.test(file);

describe("dependency rule", () => {
  it("domain imports nothing outside packages/core/src/domain", () => {
    const violations = sourceFiles(domainDir)
      .filter((f) => !isTest(f))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => !spec.startsWith(".") || !resolve(dirname(file), spec).startsWith(domainDir))
          .map((spec) => `${relative(coreSrc, file)} imports ${spec}`),
      );
    expect(violations).toEqual([]);
  });

  it("core imports no adapter, host, DI container, web framework, database driver or cloud SDK", () => {
    const forbidden = [
      /^@tiffin\/(?!core)/,
      /^inversify/,
      /^fastify/,
      /^@fastify\//,
      /^pg$/,
      /^pg-/,
      /^@electric-sql\//,
      /^@aws-sdk\//,
      /^@google-cloud\//,
      /^@azure\//,
      /^@opentelemetry\//,
      /^pino/,
      /^rhea/,
    ];
    const violations = sourceFiles(coreSrc)
      .filter((f) => !f.includes(`${join("src", "architecture")}`))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => forbidden.some((re) => re.test(spec)))
          .map((spec) => `${relative(coreSrc, file)} imports ${spec}`),
      );
    expect(violations).toEqual([]);
  });

  it("production code in core never loads the testing entry point", () => {
    const outside = sourceFiles(coreSrc).filter((f) => !f.includes(join("src", "testing")) && !isTest(f));
    const violations = outside.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec === "@tiffin/core/testing" || (spec.startsWith(".") && resolve(dirname(file), spec).includes(join("src", "testing"))))
        .map((spec) => `${relative(coreSrc, file)} imports ${spec}`),
    );
    expect(violations).toEqual([]);
  });

  it("finds the files it checks", () => {
    expect(sourceFiles(domainDir).length).toBeGreaterThan(5);
    expect(importsOf(join(domainDir, "order.ts"))).toContain("./events.js");
  });
});
