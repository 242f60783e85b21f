import type { Inbox } from "../ports/inbox.js";
import type { StoreContext } from "./store-context.js";

/** Processed message ids per consumer, written in the handler's transaction. */
export class InMemoryInbox implements Inbox {
  constructor(private readonly ctx: StoreContext) {}

  async record(consumer: string, messageId: string): Promise<boolean> {
    const key = JSON.stringify([consumer, messageId]);
    if (this.ctx.txn.read("inbox").has(key)) return false;
    this.ctx.txn.write("inbox").set(key, true);
    return true;
  }
}
