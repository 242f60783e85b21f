import type { MessageMeta } from "../../messaging/cloud-event.js";
import { EVENT_SOURCES } from "../../messaging/topology.js";
import type { ResolvedDeps } from "../tiffin-deps.js";

/** What use cases and workers share: the resolved deps and configuration. */
export type UseCaseContext = ResolvedDeps;

/** Metadata for events a worker causes while handling `causationId` (a message or timer id). */
export const workerMeta = (orderId: string, causationId?: string): MessageMeta => ({
  source: EVENT_SOURCES.worker,
  correlationId: orderId,
  ...(causationId === undefined ? {} : { causationId }),
});

/** Metadata for events an API call causes. */
export const apiMeta = (orderId: string, principalId: string): MessageMeta => ({
  source: EVENT_SOURCES.api,
  correlationId: orderId,
  tenant: principalId,
});

/** The clock's time as the ISO string every record carries. */
export const nowIso = (ctx: Pick<ResolvedDeps, "clock">): string => ctx.clock.now().toISOString();
