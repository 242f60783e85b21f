import { mintToken } from "@tiffin/host-http";
import { type Config, resolveJwt } from "@tiffin/runtime";
import { CliExit } from "../boot.js";

const ROLES = ["customer", "restaurant", "courier", "admin"] as const;

/** `tiffin token --role R --sub S [--restaurant ID]`: mints a dev JWT with the configured (or embedded) secret. */
export async function tokenCommand(config: Config, flags: { role?: string; sub?: string; restaurant?: string; expires?: string }): Promise<void> {
  const role = flags.role as (typeof ROLES)[number] | undefined;
  if (role === undefined || !ROLES.includes(role)) throw new CliExit(`tiffin token: --role must be one of ${ROLES.join(", ")}`, 2);
  if (flags.sub === undefined || flags.sub === "") throw new CliExit("tiffin token: --sub is required", 2);
  if (role === "restaurant" && flags.restaurant === undefined) throw new CliExit("tiffin token: --restaurant is required for role restaurant", 2);
  const { jwt } = await resolveJwt(config);
  if (jwt.kind !== "secret") throw new CliExit("tiffin token: tokens can only be minted with TIFFIN_JWT_SECRET (not a JWKS URL)", 2);
  const token = await mintToken(
    jwt.secret,
    { role, sub: flags.sub, ...(flags.restaurant === undefined ? {} : { restaurantId: flags.restaurant }) },
    flags.expires ?? "12h",
  );
  process.stdout.write(`${token}\n`);
}
