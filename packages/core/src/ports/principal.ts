/** Who acts: taken from a verified token by the HTTP host, or `system` for workers. */
export type PrincipalRole = "customer" | "restaurant" | "courier" | "admin" | "system";

export interface Principal {
  readonly role: PrincipalRole;
  /** The token's `sub`; for `system`, the worker component's name. */
  readonly id: string;
  /** Set for restaurant staff only. */
  readonly restaurantId?: string;
}

/** The principal every worker uses: sees and changes every tenant's rows. */
export const SYSTEM_PRINCIPAL: Principal = { role: "system", id: "tiffin-worker" };
