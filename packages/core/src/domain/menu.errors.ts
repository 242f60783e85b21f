import { type DomainError, domainError } from "./result.js";

/** Stable codes for menu and cart pricing failures. */
export const MenuErrorCode = {
  ItemUnknown: "MENU_ITEM_UNKNOWN",
  ItemUnavailable: "MENU_ITEM_UNAVAILABLE",
  /** The day's portions of an item are gone (refused at pricing, or by the reservation when the race is lost). */
  ItemSoldOut: "MENU_ITEM_SOLD_OUT",
  OptionInvalid: "MENU_OPTION_INVALID",
  /** Staff switched this option of the item off. */
  OptionUnavailable: "MENU_OPTION_UNAVAILABLE",
  SelectionOutOfRange: "MENU_SELECTION_OUT_OF_RANGE",
  QuantityOutOfRange: "MENU_QUANTITY_OUT_OF_RANGE",
  CartEmpty: "MENU_CART_EMPTY",
  /** A malformed menu document; thrown by `buildMenu`, never returned from pricing. */
  Invalid: "MENU_INVALID",
} as const;
export type MenuErrorCode = (typeof MenuErrorCode)[keyof typeof MenuErrorCode];

/** An expected failure pricing a cart; `details` names the offending line, item, group or option. */
export type MenuError = DomainError<Exclude<MenuErrorCode, "MENU_INVALID">>;

/** Inclusive bounds on a cart line's quantity. */
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 99;

/** Thrown when a menu document breaks an invariant pricing relies on (duplicate ids, min > max, mixed currency...). */
export class MenuInvalidError extends Error {
  override readonly name = "MenuInvalidError";
  readonly code = MenuErrorCode.Invalid;
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const cartEmpty = (): MenuError => domainError(MenuErrorCode.CartEmpty, "the cart has no lines");

export const quantityOutOfRange = (line: number, itemId: string, quantity: number): MenuError =>
  domainError(
    MenuErrorCode.QuantityOutOfRange,
    `quantity of ${itemId} must be an integer in ${MIN_QUANTITY}..${MAX_QUANTITY}, got ${quantity}`,
    { line, itemId, quantity, min: MIN_QUANTITY, max: MAX_QUANTITY },
  );

export const itemUnknown = (line: number, itemId: string): MenuError =>
  domainError(MenuErrorCode.ItemUnknown, `no item or combo ${itemId} on this menu`, { line, itemId });

/** `unavailableItemId` differs from `itemId` when a combo is off because one of its items is. */
export const itemUnavailable = (line: number, itemId: string, unavailableItemId: string): MenuError =>
  domainError(MenuErrorCode.ItemUnavailable, `${unavailableItemId} is not available`, {
    line,
    itemId,
    unavailableItemId,
  });

export const itemSoldOut = (line: number | null, itemId: string, soldOutItemId: string): MenuError =>
  domainError(MenuErrorCode.ItemSoldOut, `${soldOutItemId} is sold out`, { ...(line === null ? {} : { line }), itemId, soldOutItemId });

export const optionInvalid = (line: number, itemId: string, optionId: string, reason: string): MenuError =>
  domainError(MenuErrorCode.OptionInvalid, `option ${optionId} on ${itemId}: ${reason}`, {
    line,
    itemId,
    optionId,
    reason,
  });

export const optionUnavailable = (line: number, itemId: string, optionId: string): MenuError =>
  domainError(MenuErrorCode.OptionUnavailable, `option ${optionId} of ${itemId} is not available`, { line, itemId, optionId });

export const selectionOutOfRange = (
  line: number,
  itemId: string,
  groupId: string,
  selected: number,
  bounds: { readonly min: number; readonly max: number },
): MenuError =>
  domainError(
    MenuErrorCode.SelectionOutOfRange,
    `${itemId} needs ${bounds.min}..${bounds.max} choices in ${groupId}, got ${selected}`,
    { line, itemId, groupId, selected, min: bounds.min, max: bounds.max },
  );
