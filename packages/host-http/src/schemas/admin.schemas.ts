import { SAGA_STATUSES } from "@tiffin/core";
import { Type } from "typebox";
import { IdSchema, MoneySchema } from "./common.js";

export const SagaSchema = Type.Object({
  orderId: Type.String(),
  status: Type.Enum(SAGA_STATUSES),
  step: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
}, { $id: "Saga" });

export const SagasQuery = Type.Object({
  status: Type.Optional(Type.Enum(SAGA_STATUSES, { description: "`unresolved`: a payment step refused after an unanswered attempt, awaiting the provider's ledger" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const LedgerEntrySchema = Type.Object({
  kind: Type.String(),
  party: Type.String(),
  partyId: Type.String(),
  amount: MoneySchema,
  idempotencyKey: Type.String(),
  at: Type.String(),
}, { $id: "LedgerEntry" });

export const DeadLetterSchema = Type.Object({
  id: Type.String(),
  subscription: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  type: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  attempts: Type.Integer(),
  deadLetteredAt: Type.String(),
}, { $id: "DeadLetter" });

export const DeadLettersQuery = Type.Object({
  subscription: IdSchema,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const OrderIdParams = Type.Object({ orderId: IdSchema });
export const DeadLetterParams = Type.Object({ id: IdSchema });
