import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for managing the catalog (menu pricing codes are the domain's `MENU_*`). */
export const CatalogErrorCode = {
  /** A published menu document breaks the Composite's rules; `details` name the bad node. */
  MenuInvalid: "MENU_INVALID",
  RestaurantExists: "RESTAURANT_ALREADY_EXISTS",
} as const;

export type MenuInvalid = DomainError<"MENU_INVALID">;
export type RestaurantExists = DomainError<"RESTAURANT_ALREADY_EXISTS">;

export const menuInvalid = (message: string, details: Readonly<Record<string, unknown>>): MenuInvalid =>
  domainError(CatalogErrorCode.MenuInvalid, message, { ...details });

export const restaurantExists = (id: string): RestaurantExists =>
  domainError(CatalogErrorCode.RestaurantExists, `restaurant ${id} already exists`, { restaurantId: id });
