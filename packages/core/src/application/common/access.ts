import { type Result, err, ok } from "../../domain/result.js";
import type { Principal, PrincipalRole } from "../../ports/principal.js";
import type { OrderView } from "../../ports/read-models.js";
import { type Forbidden, forbidden } from "./application.errors.js";

/** Fails with FORBIDDEN unless the principal has one of `roles`. */
export function requireRole(principal: Principal, ...roles: PrincipalRole[]): Result<Principal, Forbidden> {
  return roles.includes(principal.role) ? ok(principal) : err(forbidden(`requires role ${roles.join(" or ")}`));
}

/**
 * Whether the principal may see an order: its customer, its restaurant's staff, its assigned courier, admins
 * and workers. Checked in code as well as by row-level security, so an adapter without RLS still isolates tenants.
 */
export function canSeeOrder(
  principal: Principal,
  order: Pick<OrderView, "customerId" | "restaurantId" | "courierId">,
): boolean {
  switch (principal.role) {
    case "customer":
      return order.customerId === principal.id;
    case "restaurant":
      return principal.restaurantId !== undefined && order.restaurantId === principal.restaurantId;
    case "courier":
      return order.courierId === principal.id;
    case "admin":
    case "system":
      return true;
  }
}
