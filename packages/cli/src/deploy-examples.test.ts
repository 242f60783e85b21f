import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brokerPackage, loadConfig, pushReceiverFor } from "@tiffin/runtime";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * The deploy examples cannot be applied here, so this test holds them to the code: every variable a manifest sets
 * is one the code reads, each container's command starts with the configuration it is given (the runtime's and its
 * broker adapter's validation, as `tiffin` runs them), and ports and health probes match the image.
 */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEPLOY = join(ROOT, "examples/deploy");
const COMMANDS = ["start", "serve", "work", "migrate"];

/** One container as a manifest runs it. */
interface Deployed {
  readonly where: string;
  readonly command: string;
  /** Variable => literal value, or null when the manifest takes it from a secret or an expression. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly port: number | null;
  readonly probes: readonly { path: string; port: number }[];
}

/** Stand-ins for values a manifest takes from a secret or an IaC expression. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  TIFFIN_DATABASE_URL: "postgres://tiffin:secret@db.internal:5432/tiffin?sslmode=require",
  TIFFIN_JWT_SECRET: "j".repeat(48),
  TIFFIN_TASK_SECRET: "t".repeat(48),
  SERVICEBUS_CONNECTION_STRING: "Endpoint=sb://tiffin.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=k",
  TIFFIN_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:tiffin-order-events",
  AWS_REGION: "eu-west-1",
  TIFFIN_DELIVERY: "push",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !path.includes("test-support") ? [path] : [];
  });
}

/** Every environment variable the code names (quoted, or read as `env.NAME`), across the packages' sources. */
const KNOWN = new Set(
  sourceFiles(join(ROOT, "packages")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/(?:["'`]|env\.)((?:TIFFIN|AWS|GOOGLE|PUBSUB|SERVICEBUS|OTEL)_[A-Z0-9_]+|PORT|NODE_ENV)\b/g)].map((m) => m[1]),
  ),
);

/** What setup.sh substitutes into the Cloud Run manifests (envsubst). */
const CLOUD_RUN_VALUES: Readonly<Record<string, string>> = {
  PROJECT: "tiffin-demo",
  REGION: "europe-west1",
  IMAGE: "europe-west1-docker.pkg.dev/tiffin-demo/tiffin/tiffin:0.1.0",
  WORKER_URL: "https://tiffin-worker-abc123-ew.a.run.app",
};

function cloudRun(file: string): Deployed[] {
  const text = readFileSync(file, "utf8").replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = CLOUD_RUN_VALUES[name];
    if (value === undefined) throw new Error(`${file}: \${${name}} is not filled in by setup.sh`);
    return value;
  });
  const doc = parse(text);
  const pod = doc.kind === "Job" ? doc.spec.template.spec.template.spec : doc.spec.template.spec;
  return pod.containers.map((c: Record<string, any>) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
    where: `${file}`,
    command: c.args?.[0],
    env: Object.fromEntries((c.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value ?? null])),
    port: c.ports?.[0]?.containerPort ?? null,
    probes: ["startupProbe", "livenessProbe", "readinessProbe"].filter((p) => c[p]).map((p) => ({ path: c[p].httpGet.path, port: c[p].httpGet.port })),
  }));
}

/** The text of the `{ ... }` block that starts at the first brace after `from`. */
function block(text: string, from: number): string {
  const start = text.indexOf("{", from);
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === "{") depth += 1;
    if (text[i] === "}" && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error("unbalanced braces");
}

const hclMap = (body: string, name: string): Record<string, string | null> => {
  const at = body.indexOf(`${name} =`);
  if (at < 0) return {};
  return Object.fromEntries(
    [...block(body, at).matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.+)$/gm)].map((m) => [m[1] ?? "", /^"[^"$]*"$/.test(m[2]?.trim() ?? "") ? (m[2] ?? "").trim().slice(1, -1) : null]),
  );
};

function terraform(file: string): Deployed[] {
  const text = readFileSync(file, "utf8");
  const services = [...text.matchAll(/resource "aws_apprunner_service" "(\w+)"/g)].map((m) => {
    const body = block(text, m.index ?? 0);
    return {
      where: `${file} ${m[1]}`,
      command: /start_command\s*=\s*"(\w+)"/.exec(body)?.[1] ?? "",
      env: { ...hclMap(body, "runtime_environment_variables"), ...hclMap(body, "runtime_environment_secrets") },
      port: Number(/port\s*=\s*"(\d+)"/.exec(body)?.[1]),
      probes: [...body.matchAll(/health_check_configuration\s*\{[^}]*path\s*=\s*"([^"]+)"/g)].map((p) => ({ path: p[1] ?? "", port: 8080 })),
    };
  });
  const tasks = [...text.matchAll(/resource "aws_ecs_task_definition" "(\w+)"/g)].map((m) => {
    const body = block(text, m.index ?? 0);
    const secrets = [...body.matchAll(/name\s*=\s*"([A-Z][A-Z0-9_]+)"/g)].map((s) => [s[1] ?? "", null] as const);
    return { where: `${file} ${m[1]}`, command: /command\s*=\s*\["(\w+)"\]/.exec(body)?.[1] ?? "", env: Object.fromEntries(secrets), port: null, probes: [] };
  });
  return [...services, ...tasks];
}

function bicep(file: string): Deployed[] {
  const text = readFileSync(file, "utf8");
  const starts = [...text.matchAll(/args: \['(\w+)'\]/g)];
  return starts.map((m, i) => {
    const body = text.slice(m.index ?? 0, starts[i + 1]?.index ?? text.length);
    const resource = text.slice(0, m.index).lastIndexOf("resource ");
    const head = text.slice(resource, m.index);
    return {
      where: `${file} ${/resource (\w+)/.exec(head)?.[1]}`,
      command: m[1] ?? "",
      env: Object.fromEntries([...body.matchAll(/\{ name: '([A-Z][A-Z0-9_]*)', (?:value: '([^']*)'|secretRef: '[^']+') \}/g)].map((e) => [e[1] ?? "", e[2] ?? null])),
      port: Number(/targetPort: (\d+)/.exec(head)?.[1] ?? NaN) || null,
      probes: [...body.matchAll(/httpGet: \{ path: '([^']+)', port: (\d+) \}/g)].map((p) => ({ path: p[1] ?? "", port: Number(p[2]) })),
    };
  });
}

const EXAMPLES: Record<string, () => Deployed[]> = {
  "gcp-cloud-run": () => ["api.service.yaml", "worker.service.yaml", "migrate.job.yaml"].flatMap((f) => cloudRun(join(DEPLOY, "gcp-cloud-run", f))),
  "aws-app-runner": () => terraform(join(DEPLOY, "aws-app-runner", "services.tf")),
  "azure-container-apps": () => bicep(join(DEPLOY, "azure-container-apps", "main.bicep")),
};

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const IMAGE_PORT = Number(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1]);
const HEALTH_PATHS = ["/health/live", "/health/ready"];

/** The environment a container starts with: literal values as written, the rest from the stand-ins. */
function startEnv(deployed: Deployed): Record<string, string> {
  return Object.fromEntries(
    Object.entries(deployed.env).map(([name, value]) => {
      const resolved = value ?? PLACEHOLDERS[name];
      if (resolved === undefined) throw new Error(`${deployed.where}: ${name} comes from a secret or expression; add a stand-in to PLACEHOLDERS`);
      return [name, resolved];
    }),
  );
}

describe("the image", () => {
  it("listens on PORT 8080 and checks its health on a path the hosts serve", () => {
    expect(IMAGE_PORT).toBe(8080);
    expect(dockerfile).toMatch(/^\s+PORT=8080 \\$/m);
    expect(/HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile)?.[1]).toBe("/health/live");
    const servers = ["host-worker/src/health-server.ts", "host-http/src/routes/system-routes.ts"].map((f) => readFileSync(join(ROOT, "packages", f), "utf8"));
    for (const path of HEALTH_PATHS) for (const server of servers) expect(server).toContain(`"${path}"`);
  });
});

describe.each(Object.keys(EXAMPLES))("the %s deploy example", (example) => {
  const deployed = EXAMPLES[example]?.() ?? [];

  it("has a README and runs the API, the worker and the migration from the image", () => {
    expect(statSync(join(DEPLOY, example, "README.md")).isFile()).toBe(true);
    expect(new Set(deployed.map((d) => d.command))).toEqual(new Set(["serve", "work", "migrate"]));
    for (const d of deployed) expect(COMMANDS, d.where).toContain(d.command);
  });

  it("sets only variables the code reads", () => {
    expect(KNOWN.has("TIFFIN_DATABASE_URL")).toBe(true);
    expect(KNOWN.has("TIFFIN_NOT_A_VARIABLE")).toBe(false);
    for (const d of deployed) {
      const unknown = Object.keys(d.env).filter((name) => !KNOWN.has(name));
      expect(unknown, `${d.where} (${d.command})`).toEqual([]);
    }
  });

  it("gives each command every variable it requires, as tiffin validates them at start", async () => {
    for (const d of deployed) {
      const env = startEnv(d);
      const config = loadConfig(env);
      // A container has no data folder worth keeping: every command must use the server database.
      expect(config.database.kind, `${d.where}: TIFFIN_DATABASE_URL`).toBe("postgres");
      if (d.command === "migrate") continue;
      // The broker package's own factory validates its variables, as the platform calls it at start (production).
      if (config.broker.kind !== "memory") (await brokerPackage(config.broker.kind)).brokerModule(env, { development: false });
      if (d.command === "work" && config.workerEndpoints.delivery === "push") await pushReceiverFor(config);
    }
  });

  it("uses the image's port and health paths", () => {
    for (const d of deployed) {
      if (d.port !== null) expect(d.port, d.where).toBe(IMAGE_PORT);
      expect(d.env.PORT ?? String(IMAGE_PORT), d.where).toBe(String(IMAGE_PORT));
      for (const probe of d.probes) {
        expect(HEALTH_PATHS, d.where).toContain(probe.path);
        expect(probe.port, d.where).toBe(IMAGE_PORT);
      }
      if (d.command !== "migrate") expect(d.probes.length, `${d.where} has a health check`).toBeGreaterThan(0);
    }
  });
});
