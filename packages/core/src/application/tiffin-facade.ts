import type { Principal } from "../ports/principal.js";
import { listDeadLetters, listPayments, listSagas, getSaga, replayDeadLetter } from "./admin/admin-queries.js";
import { nearbyRestaurants } from "./catalog/catalog-queries.js";
import { type StockChange, getMenu, publishMenu, setItemStock } from "./catalog/menus.js";
import { createRestaurant, updateRestaurant } from "./catalog/restaurants.js";
import { joinAsCourier, listCouriers, setCourierActive } from "./couriers/courier-onboarding.js";
import { markDelivered, markPickedUp, setAvailability, updateLocation } from "./dispatch/courier-actions.js";
import { acceptOffer, declineOffer, openOffers } from "./dispatch/offer-actions.js";
import { acceptOrder, markOrderReady, rejectOrder } from "./kitchen/staff-actions.js";
import { type AnswerOf, Mediator, type MessageOf } from "./mediator.js";
import { cancelOrder } from "./ordering/cancel-order.js";
import { getOrderView, orderHistory, restaurantBoard } from "./ordering/order-queries.js";
import { placeOrder } from "./ordering/place-order.js";
import { AfterCommitPublisher } from "./relay/publish-after-commit.js";
import type { UseCaseContext } from "./common/use-case-context.js";
import { type TiffinDeps, type TiffinOptions, resolveDeps } from "./tiffin-deps.js";

/** Commands: every one changes state. The HTTP host builds them from the route and body. */
export const COMMANDS = {
  PlaceOrder: placeOrder,
  CancelOrder: (ctx: UseCaseContext, p: Principal, c: { orderId: string }) => cancelOrder(ctx, p, c.orderId),
  AcceptOrder: (ctx: UseCaseContext, p: Principal, c: { restaurantId: string; orderId: string }) => acceptOrder(ctx, p, c),
  RejectOrder: (ctx: UseCaseContext, p: Principal, c: { restaurantId: string; orderId: string }) => rejectOrder(ctx, p, c),
  MarkOrderReady: (ctx: UseCaseContext, p: Principal, c: { restaurantId: string; orderId: string }) => markOrderReady(ctx, p, c),
  AcceptOffer: (ctx: UseCaseContext, p: Principal, c: { offerId: string; token: number }) => acceptOffer(ctx, p, c),
  DeclineOffer: (ctx: UseCaseContext, p: Principal, c: { offerId: string; token: number }) => declineOffer(ctx, p, c),
  MarkPickedUp: (ctx: UseCaseContext, p: Principal, c: { orderId: string }) => markPickedUp(ctx, p, c.orderId),
  MarkDelivered: (ctx: UseCaseContext, p: Principal, c: { orderId: string }) => markDelivered(ctx, p, c.orderId),
  SetCourierAvailability: (ctx: UseCaseContext, p: Principal, c: { available: boolean }) => setAvailability(ctx, p, c.available),
  UpdateCourierLocation: (ctx: UseCaseContext, p: Principal, c: { lat: number; lng: number }) =>
    updateLocation(ctx, p, { lat: c.lat, lng: c.lng }),
  ReplayDeadLetter: (ctx: UseCaseContext, p: Principal, c: { deadLetterId: string }) => replayDeadLetter(ctx, p, c.deadLetterId),
  CreateRestaurant: (ctx: UseCaseContext, p: Principal, c: { restaurant: unknown }) => createRestaurant(ctx, p, c.restaurant),
  UpdateRestaurant: (ctx: UseCaseContext, p: Principal, c: { restaurantId: string; change: unknown }) => updateRestaurant(ctx, p, c),
  PublishMenu: (ctx: UseCaseContext, p: Principal, c: { restaurantId: string; menu: unknown }) => publishMenu(ctx, p, c),
  SetMenuItemStock: (ctx: UseCaseContext, p: Principal, c: StockChange) => setItemStock(ctx, p, c),
  JoinAsCourier: (ctx: UseCaseContext, p: Principal, c: { profile: unknown }) => joinAsCourier(ctx, p, c.profile),
  SetCourierActive: (ctx: UseCaseContext, p: Principal, c: { courierId: string; active: boolean }) => setCourierActive(ctx, p, c),
};

/** Queries: no state changes. */
export const QUERIES = {
  GetOrder: (ctx: UseCaseContext, p: Principal, q: { orderId: string }) => getOrderView(ctx, p, q.orderId),
  OrderHistory: (ctx: UseCaseContext, p: Principal, q: { limit?: number; cursor?: string | null }) => orderHistory(ctx, p, q),
  RestaurantBoard: (ctx: UseCaseContext, p: Principal, q: { restaurantId: string }) => restaurantBoard(ctx, p, q.restaurantId),
  CourierOffers: (ctx: UseCaseContext, p: Principal, _q: object) => openOffers(ctx, p),
  NearbyRestaurants: nearbyRestaurants,
  Menu: (ctx: UseCaseContext, p: Principal, q: { restaurantId: string }) => getMenu(ctx, p, q.restaurantId),
  Sagas: listSagas,
  Saga: (ctx: UseCaseContext, p: Principal, q: { orderId: string }) => getSaga(ctx, p, q.orderId),
  Payments: (ctx: UseCaseContext, p: Principal, q: { orderId: string }) => listPayments(ctx, p, q.orderId),
  DeadLetters: listDeadLetters,
  Couriers: listCouriers,
};

/** Any command: `{ type }` plus its input. */
export type Command = MessageOf<typeof COMMANDS>;
/** Any query: `{ type }` plus its input. */
export type Query = MessageOf<typeof QUERIES>;
/** The Result a command answers. */
export type CommandAnswer<C extends Command> = AnswerOf<typeof COMMANDS, C>;
/** The Result a query answers. */
export type QueryAnswer<Q extends Query> = AnswerOf<typeof QUERIES, Q>;

/**
 * The application's public API, the one every host calls. `principal` always comes from the caller's verified
 * identity (the HTTP host: the JWT), never from a body. Answers are `Result`s: `ok` with the value, or `err` with a
 * stable `code` (see the `*.errors.ts` files) that the host maps to HTTP once. Thrown errors are faults (500/503).
 */
export interface Tiffin {
  send<C extends Command>(principal: Principal, command: C): Promise<CommandAnswer<C>>;
  ask<Q extends Query>(principal: Principal, query: Q): Promise<QueryAnswer<Q>>;
}

/**
 * Builds the facade over the ports; cheap, holds no resources. With `deps.publishAfterCommit`, each command publishes
 * the events it committed before it answers (see `AfterCommitPublisher`).
 */
export function createTiffin(deps: TiffinDeps, options: TiffinOptions = {}): Tiffin {
  const ctx = resolveDeps(deps, options);
  const commands = new Mediator(ctx, COMMANDS);
  const queries = new Mediator(ctx, QUERIES);
  const afterCommit =
    deps.publishAfterCommit === undefined
      ? null
      : new AfterCommitPublisher(deps.uow, deps.publishAfterCommit, ctx.logger, { timeoutMs: ctx.config.publishAfterCommitTimeoutMs });
  return {
    send: (principal, command) =>
      afterCommit === null
        ? commands.dispatch(principal, command)
        : afterCommit.around(ctx.uow, (uow) => commands.dispatch(principal, command, { ...ctx, uow })),
    ask: (principal, query) => queries.dispatch(principal, query),
  };
}
