import type { Principal } from "@tiffin/core";
import type { Config, Env } from "@tiffin/runtime";
import { CliExit, boot } from "../boot.js";

/** The operator at the terminal acts as an admin. */
const OPERATOR: Principal = { role: "admin", id: "tiffin-cli" };

/** `tiffin migrate`: applies pending migrations and exits. */
export async function migrateCommand(config: Config, env: Env): Promise<void> {
  const { platform, lifecycle } = await boot(config, { migrate: false, env: { ...env, TIFFIN_DEMO_DATA: "false" } });
  try {
    const applied = await platform.migrate();
    process.stdout.write(applied.length === 0 ? "tiffin migrate: up to date\n" : `tiffin migrate: applied ${applied.join(", ")}\n`);
  } finally {
    await lifecycle.stop("migrate done");
  }
}

/**
 * `tiffin topology`: creates (or updates) on the broker what every worker subscription needs, once per release, before
 * the new workers start; they then only look it up (TIFFIN_CREATE_TOPOLOGY defaults to false in production). It is
 * separate from `tiffin migrate` because it needs the broker's administration rights, which the database migration
 * job has no reason to hold. Idempotent. Brokers without topology (postgres, memory) have nothing to create.
 */
export async function topologyCommand(config: Config, env: Env): Promise<void> {
  const { platform, lifecycle } = await boot(config, { migrate: false, env: { ...env, TIFFIN_DEMO_DATA: "false" } });
  try {
    const topology = platform.brokerTopology();
    if (topology === null) {
      process.stdout.write(`tiffin topology: TIFFIN_BROKER=${config.broker.kind} has no broker topology to create\n`);
      return;
    }
    const lines = await topology.ensureTopology(platform.createWorker().subscriptionSpecs());
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.write(`tiffin topology: ${lines.length} subscriptions ensured on ${config.broker.kind}\n`);
  } finally {
    await lifecycle.stop("topology done");
  }
}

/**
 * `tiffin seed --demo`: loads the demo catalog into the configured database through the same use cases as the
 * API (so a server deployment can be tried with demo data); running it again changes nothing. Migrates first,
 * like `tiffin start` does, so it works on an empty database.
 */
export async function seedCommand(config: Config, env: Env, args: { demo: boolean }): Promise<void> {
  if (!args.demo) throw new CliExit("tiffin seed: only --demo exists (the demo restaurants, menus and couriers)", 2);
  const { platform, lifecycle } = await boot(config, { migrate: true, env: { ...env, TIFFIN_DEMO_DATA: "false" } });
  try {
    const { seedDemoData } = await import("@tiffin/runtime");
    const report = await seedDemoData(platform.tiffin);
    process.stdout.write(
      `tiffin seed: ${report.restaurantsCreated} restaurants created, ${report.menusPublished} menus published, ${report.couriers} couriers on shift\n`,
    );
  } finally {
    await lifecycle.stop("seed done");
  }
}

/** `tiffin dead-letters list --subscription S` and `tiffin dead-letters replay <id>`. */
export async function deadLettersCommand(config: Config, env: Env, args: { action?: string; id?: string; subscription?: string }): Promise<void> {
  if (args.action !== "list" && args.action !== "replay") throw new CliExit("tiffin dead-letters: use `list --subscription S` or `replay <id>`", 2);
  if (args.action === "list" && args.subscription === undefined) throw new CliExit("tiffin dead-letters list: --subscription is required", 2);
  if (args.action === "replay" && args.id === undefined) throw new CliExit("tiffin dead-letters replay: the dead letter id is required", 2);
  const { platform, lifecycle } = await boot(config, { env: { ...env, TIFFIN_DEMO_DATA: "false" } });
  try {
    const answer =
      args.action === "list"
        ? await platform.tiffin.ask(OPERATOR, { type: "DeadLetters", subscription: args.subscription ?? "" })
        : await platform.tiffin.send(OPERATOR, { type: "ReplayDeadLetter", deadLetterId: args.id ?? "" });
    if (!answer.ok) throw new CliExit(`tiffin dead-letters: ${answer.error.code}: ${answer.error.message}`, 1);
    if (Array.isArray(answer.value)) {
      for (const letter of answer.value) {
        process.stdout.write(
          `${letter.id}\t${letter.message?.type ?? "(unparseable)"}\t${letter.message?.subject ?? "-"}\tattempts=${letter.attempts}\t${letter.deadLetteredAt}\t${letter.reason}\n`,
        );
      }
      if (answer.value.length === 0) process.stdout.write("no dead letters\n");
    } else {
      process.stdout.write(`replayed ${args.id}\n`);
    }
  } finally {
    await lifecycle.stop("command done");
  }
}
