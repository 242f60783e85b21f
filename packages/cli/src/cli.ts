import { parseArgs } from "node:util";
import { type TelemetryHandle, isConfigError } from "@tiffin/runtime";
import { CliExit, EXIT_CONFIG, readConfig } from "./boot.js";
import { deadLettersCommand, migrateCommand, seedCommand, topologyCommand } from "./commands/admin-commands.js";
import { runHosts } from "./commands/run-hosts.js";
import { tokenCommand } from "./commands/token.js";

const USAGE = `usage: tiffin <command>

  start                     API and worker in one process (embedded PGlite unless TIFFIN_DATABASE_URL is set)
  serve                     the HTTP API
  work                      the worker (relay, consumers, saga, timers); health and metrics on PORT
  migrate                   apply database migrations
  topology                  create the broker's topics and subscriptions (once per release, before \`work\`)
  seed --demo               load the demo restaurants, menus and couriers (idempotent; any database)
  dead-letters list --subscription S
  dead-letters replay <id>
  token --role R --sub S [--restaurant ID] [--expires 12h]

Configuration comes from the environment only (see docs: PORT, TIFFIN_DATABASE_URL, TIFFIN_BROKER, ...).
`;

/**
 * Runs one CLI command and resolves to its exit code, or to "running" once a host started (it then keeps the
 * process alive and exits on SIGTERM/SIGINT).
 */
export async function runCli(argv: readonly string[], telemetry: TelemetryHandle, env: NodeJS.ProcessEnv = process.env): Promise<number | "running"> {
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        role: { type: "string" },
        sub: { type: "string" },
        restaurant: { type: "string" },
        expires: { type: "string" },
        subscription: { type: "string" },
        demo: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help === true || command === undefined) {
      process.stdout.write(USAGE);
      return command === undefined && values.help !== true ? 2 : 0;
    }
    const config = readConfig(env);
    switch (command) {
      case "start":
      case "serve":
      case "work":
        await runHosts(command, config, env, telemetry);
        return "running";
      case "migrate":
        await migrateCommand(config, env);
        break;
      case "topology":
        await topologyCommand(config, env);
        break;
      case "seed":
        await seedCommand(config, env, { demo: values.demo === true });
        break;
      case "dead-letters":
        await deadLettersCommand(config, env, { action: rest[0], id: rest[1], subscription: values.subscription });
        break;
      case "token":
        await tokenCommand(config, values);
        break;
      default:
        throw new CliExit(`tiffin: unknown command "${command}"\n${USAGE}`, 2);
    }
    await telemetry.shutdown();
    return 0;
  } catch (error) {
    if (error instanceof CliExit) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (isConfigError(error)) {
      process.stderr.write(`tiffin: configuration error: ${error.message}\n`);
      return EXIT_CONFIG;
    }
    if ((error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      process.stderr.write(`tiffin: ${(error as Error).message}\n`);
      return 2;
    }
    process.stderr.write(`tiffin: failed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
