import { VEHICLE_SPEED_KMH, isVehicle } from "../../domain/courier.js";
import { type Money, money } from "../../domain/money.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { Courier } from "../../ports/couriers.js";
import type { Principal } from "../../ports/principal.js";
import type { Page } from "../../ports/read-models.js";
import { offerExpireKey } from "../dispatch/dispatch-timers.js";
import { offerNext } from "../dispatch/offer-next.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import type { UseCaseContext } from "../common/use-case-context.js";

/** What a courier gives to join or update their profile. */
export interface CourierProfileInput {
  readonly name: string;
  readonly city: string;
  readonly vehicle: string;
  readonly ratePerKm: Money;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseProfile(value: unknown): Result<CourierProfileInput & { vehicle: keyof typeof VEHICLE_SPEED_KMH }, ValidationFailed> {
  if (!isRecord(value)) return err(validationFailed("the profile must be an object"));
  const unknown = Object.keys(value).filter((k) => !["name", "city", "vehicle", "ratePerKm"].includes(k));
  if (unknown.length > 0) return err(validationFailed(`unknown fields ${unknown.join(", ")}`, { fields: unknown }));
  for (const field of ["name", "city"] as const) {
    const text = value[field];
    if (typeof text !== "string" || text.trim() === "" || text.length > 200) return err(validationFailed(`${field} must be 1..200 characters`, { field }));
  }
  if (!isVehicle(value.vehicle)) return err(validationFailed(`vehicle must be one of ${Object.keys(VEHICLE_SPEED_KMH).join(", ")}`, { field: "vehicle" }));
  const rate = value.ratePerKm;
  if (!isRecord(rate) || !Number.isSafeInteger(rate.amount) || (rate.amount as number) < 0 || typeof rate.currency !== "string" || !/^[A-Z]{3}$/.test(rate.currency)) {
    return err(validationFailed("ratePerKm must be money: non-negative integer minor units and an ISO currency", { field: "ratePerKm" }));
  }
  return ok({ name: value.name as string, city: value.city as string, vehicle: value.vehicle, ratePerKm: money(rate.amount as number, rate.currency) });
}

/**
 * A courier joins, or updates their profile; the id is the token's subject. The vehicle sets the speed the
 * `fastest` strategy ranks by. A newcomer starts active and off shift; availability, position and `active`
 * (which only an admin changes) are kept on update.
 */
export async function joinAsCourier(ctx: UseCaseContext, principal: Principal, input: unknown): Promise<Result<Courier, Forbidden | ValidationFailed>> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  const parsed = parseProfile(input);
  if (!parsed.ok) return parsed;
  const { vehicle, ...profile } = parsed.value;
  ctx.courierCities.forget(principal.id);
  return ctx.uow.run(principal, async (tx) => {
    const current = await tx.couriers.get(principal.id);
    const courier: Courier = {
      id: principal.id,
      ...profile,
      vehicle,
      speedKmh: VEHICLE_SPEED_KMH[vehicle],
      available: current?.available ?? false,
      active: current?.active ?? true,
      position: current?.position ?? null,
      positionAt: current?.positionAt ?? null,
    };
    await tx.couriers.upsert(courier);
    return ok(courier);
  });
}

/** Admin lists couriers by city and active flag, a page at a time in id order. */
export async function listCouriers(
  ctx: UseCaseContext,
  principal: Principal,
  query: { readonly city?: string; readonly active?: boolean; readonly limit?: number; readonly cursor?: string | null },
): Promise<Result<Page<Courier>, Forbidden | ValidationFailed>> {
  const role = requireRole(principal, "admin", "system");
  if (!role.ok) return role;
  const limit = query.limit ?? 50;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) return err(validationFailed("limit must be in 1..100", { field: "limit" }));
  const couriers = await ctx.uow.run(principal, (tx) =>
    tx.couriers.list({
      limit: limit + 1,
      ...(query.city === undefined ? {} : { city: query.city }),
      ...(query.active === undefined ? {} : { active: query.active }),
      ...(query.cursor ? { after: query.cursor } : {}),
    }),
  );
  const items = couriers.slice(0, limit);
  return ok({ items, nextCursor: couriers.length > limit ? (items.at(-1)?.id ?? null) : null });
}

/**
 * Admin activates or deactivates a courier. Deactivating withdraws the courier's open offer and offers that order
 * to the next candidate, in the same transaction; a deactivated courier is never found by dispatch again.
 */
export async function setCourierActive(
  ctx: UseCaseContext,
  principal: Principal,
  command: { readonly courierId: string; readonly active: boolean },
): Promise<Result<Courier, Forbidden | NotFound | ValidationFailed>> {
  const role = requireRole(principal, "admin", "system");
  if (!role.ok) return role;
  if (typeof command.active !== "boolean") return err(validationFailed("active must be a boolean", { field: "active" }));
  return ctx.uow.run(principal, async (tx) => {
    if (!(await tx.couriers.setActive(command.courierId, command.active))) return err(notFound("courier", command.courierId));
    if (!command.active) {
      for (const offer of await tx.offers.openForCourier(command.courierId)) {
        const withdrawn = await tx.offers.resolve(offer.id, offer.token, "withdrawn", await tx.clock.now());
        if (!withdrawn.ok) throw new Error(`offer ${offer.id} of deactivated courier could not be withdrawn: ${withdrawn.error.code}`);
        await tx.timers.cancel(offerExpireKey(offer.id));
        await offerNext(tx, ctx, offer.orderId, 0);
        ctx.logger.info("offer withdrawn: courier deactivated", { orderId: offer.orderId, offerId: offer.id, courierId: offer.courierId });
      }
    }
    const courier = await tx.couriers.get(command.courierId);
    if (courier === null) return err(notFound("courier", command.courierId));
    return ok(courier);
  });
}
