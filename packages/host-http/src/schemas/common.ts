import { type TSchema, Type } from "typebox";

/** Money in integer minor units plus an ISO currency. */
export const MoneySchema = Type.Object(
  { amount: Type.Integer(), currency: Type.String({ pattern: "^[A-Z]{3}$" }) },
  { additionalProperties: false },
);

export const LatLngSchema = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);

/** An id in a path or body: short, printable, no slashes. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: "Problem", description: "RFC 9457 problem details with a stable code" },
);

/** A `text/event-stream` 200 answer for the OpenAPI document: the events are described in the route's summary. */
export const eventStream = (description: string) => ({
  description,
  content: { "text/event-stream": { schema: { type: "string", description: "server-sent events, each with an `id`" } } },
});

/** `{ items, nextCursor }`, the shape of every list. */
export const PageSchema = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** Problem responses a route may answer with, for the OpenAPI document. */
export const problems = (...statuses: number[]): Record<number, typeof ProblemRef> =>
  Object.fromEntries(statuses.map((status) => [status, ProblemRef]));

const ProblemRef = Type.Ref("Problem");
