import { InfrastructureError } from "./infrastructure.errors.js";

/** The code of a broker's permanent refusal of particular messages. */
export const MESSAGE_REFUSED = "MESSAGE_REFUSED";

/**
 * Thrown by a publisher when the broker refuses particular messages for good (too large, an attribute it cannot
 * take): sending them again can never succeed, while the other messages of the call may. `messageIds` names the
 * refused ones. A fault of the broker as a whole (unreachable, access denied, missing topic) is never this error,
 * even when permanent: it concerns every message alike.
 */
export class MessageRefusedError extends InfrastructureError {
  constructor(
    readonly messageIds: readonly string[],
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(MESSAGE_REFUSED, message, { transient: false, ...options });
  }
}

/** The ids of the messages an error says the broker refused for good; empty for any other error. */
export function refusedMessageIds(error: unknown): readonly string[] {
  if (typeof error !== "object" || error === null || (error as { code?: unknown }).code !== MESSAGE_REFUSED) return [];
  const ids = (error as { messageIds?: unknown }).messageIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}
