import { Type } from "typebox";
import { principalOf } from "../plugins/auth.js";
import { DeadLetterParams, DeadLetterSchema, DeadLettersQuery, LedgerEntrySchema, OrderIdParams, SagaSchema, SagasQuery } from "../schemas/admin.schemas.js";
import { PageSchema, problems } from "../schemas/common.js";
import { CourierActiveBody, CourierParams, CourierSchema, CouriersQuery } from "../schemas/courier.schemas.js";
import type { RouteContext, TiffinFastify } from "./route-deps.js";
import { courier, deadLetter, ledgerEntry, list, saga, unwrap } from "./views.js";

const tags = ["admin"];

/** Admin routes: sagas (the failed ones need a human), dead letters, and the providers' ledger. */
export function adminRoutes(app: TiffinFastify, ctx: RouteContext): void {
  app.get(
    "/admin/couriers",
    { schema: { tags, summary: "Couriers by city and active flag, in id order", querystring: CouriersQuery, response: { 200: PageSchema(CourierSchema), ...problems(400, 401, 403) } } },
    async (request) => {
      const { city, active, limit, cursor } = request.query;
      const page = unwrap(
        await ctx.tiffin.ask(principalOf(request), {
          type: "Couriers",
          ...(city === undefined ? {} : { city }),
          ...(active === undefined ? {} : { active }),
          ...(limit === undefined ? {} : { limit }),
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
      return list(page.items.map(courier), page.nextCursor);
    },
  );

  app.patch(
    "/admin/couriers/:id",
    {
      schema: {
        tags,
        summary: "Activate or deactivate a courier; deactivating withdraws their open offer and offers the order to the next courier",
        params: CourierParams,
        body: CourierActiveBody,
        response: { 200: CourierSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      courier(unwrap(await ctx.tiffin.send(principalOf(request), { type: "SetCourierActive", courierId: request.params.id, active: request.body.active }))),
  );

  app.get(
    "/admin/sagas",
    { schema: { tags, summary: "Payment sagas, most recently updated first", querystring: SagasQuery, response: { 200: PageSchema(SagaSchema), ...problems(400, 401, 403) } } },
    async (request) => {
      const { status, limit } = request.query;
      const sagas = unwrap(
        await ctx.tiffin.ask(principalOf(request), {
          type: "Sagas",
          ...(status === undefined ? {} : { status }),
          ...(limit === undefined ? {} : { limit }),
        }),
      );
      return list(sagas.map(saga));
    },
  );

  app.get(
    "/admin/sagas/:orderId",
    { schema: { tags, summary: "One order's payment saga", params: OrderIdParams, response: { 200: SagaSchema, ...problems(401, 403, 404) } } },
    async (request) => saga(unwrap(await ctx.tiffin.ask(principalOf(request), { type: "Saga", orderId: request.params.orderId }))),
  );

  app.get(
    "/admin/payments/:orderId",
    {
      schema: {
        tags,
        summary: "Money movements as the payment and payout providers recorded them",
        params: OrderIdParams,
        response: { 200: Type.Object({ items: Type.Array(LedgerEntrySchema) }), ...problems(401, 403) },
      },
    },
    async (request) => ({
      items: unwrap(await ctx.tiffin.ask(principalOf(request), { type: "Payments", orderId: request.params.orderId })).map(ledgerEntry),
    }),
  );

  app.get(
    "/admin/dead-letters",
    { schema: { tags, summary: "A subscription's dead letters, oldest first", querystring: DeadLettersQuery, response: { 200: PageSchema(DeadLetterSchema), ...problems(400, 401, 403, 404) } } },
    async (request) => {
      const { subscription, limit } = request.query;
      const letters = unwrap(
        await ctx.tiffin.ask(principalOf(request), { type: "DeadLetters", subscription, ...(limit === undefined ? {} : { limit }) }),
      );
      return list(letters.map(deadLetter));
    },
  );

  app.post(
    "/admin/dead-letters/:id/replay",
    {
      schema: {
        tags,
        summary: "Send a dead letter back to its subscription (idempotent)",
        params: DeadLetterParams,
        response: { 202: Type.Object({ replayed: Type.String() }), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(unwrap(await ctx.tiffin.send(principalOf(request), { type: "ReplayDeadLetter", deadLetterId: request.params.id }))),
  );
}
