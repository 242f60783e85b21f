import { randomUUID } from "node:crypto";
import type { CloudEvent, MessageMeta } from "../../messaging/cloud-event.js";
import type { Logger } from "../../ports/logger.js";
import type { MessagePublisher } from "../../ports/messaging.js";
import type { OrderStore } from "../../ports/order-store.js";
import type { Outbox } from "../../ports/outbox.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import { Batcher } from "../common/batcher.js";
import { OutboxRelay } from "./outbox-relay.js";

/** Commands whose keys one relay pass publishes at most: well under the relay's claim size (100 records). */
const MAX_COMMANDS_PER_PASS = 50;

/**
 * Publishes what a command wrote to the outbox right after its transactions committed, before the host answers,
 * so a placed order reaches the payment saga without waiting for the relay's next poll (or, where CPU follows
 * requests, the next tick). Best effort: it claims the command's order keys like any relay (a lease, so one order's
 * events keep their sequence), and whatever it cannot publish, or not within `timeoutMs`, stays in the outbox for
 * the relay, which still owns delivery. A failure here never changes the command's answer. Concurrent commands
 * share a pass (one claim, one publish per topic, one mark-sent for all their keys): a pass per command was two more
 * transactions and a broker publish on every placement.
 */
export class AfterCommitPublisher {
  private readonly relay: OutboxRelay;
  private readonly passes: Batcher<readonly string[], void>;

  constructor(
    uow: UnitOfWork,
    publisher: MessagePublisher,
    private readonly logger: Logger,
    private readonly options: { readonly timeoutMs: number },
  ) {
    // A short lease: if this process dies mid-publish, the relay takes the order over soon.
    this.relay = new OutboxRelay(uow, publisher, logger, { relayId: `after-commit:${randomUUID()}`, leaseMs: Math.max(options.timeoutMs * 5, 5_000) });
    // A pass that hangs (a broker that never answers) gives its slot up after the time budget, so later commands
    // are not queued behind it; its records stay leased and then go to the relay.
    this.passes = new Batcher<readonly string[], void>(
      async (commands) => {
        const keys = [...new Set(commands.flat())];
        const relayed = this.relay.relayKeys(keys).catch((error: unknown) => {
          this.logger.warn("publishing after commit failed; the relay will publish it", { keys: keys.join(","), err: error });
        });
        await withinBudget(relayed, this.options.timeoutMs);
        return commands.map(() => ({ ok: true as const, value: undefined }));
      },
      { concurrency: 2, maxBatch: MAX_COMMANDS_PER_PASS },
    );
  }

  /** Runs `command` over a unit of work that notes the order keys it commits events for, then publishes those. */
  async around<T>(uow: UnitOfWork, command: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const keys = new Set<string>();
    const recording: UnitOfWork = {
      run: async (principal, fn) => {
        // A store may run `fn` again after a serialization failure: only the attempt that committed counts.
        let attempt = new Set<string>();
        const result = await uow.run(principal, (tx) => {
          attempt = new Set();
          return fn(recordingStores(tx, attempt));
        });
        for (const key of attempt) keys.add(key);
        return result;
      },
    };
    const answer = await command(recording);
    if (keys.size > 0) await this.publish([...keys]);
    return answer;
  }

  private publish(keys: readonly string[]): Promise<void> {
    return withinBudget(this.passes.submit(keys), this.options.timeoutMs);
  }
}

/** Resolves when `work` settles or after `ms`, whichever is first. */
async function withinBudget(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function recordingStores(tx: TransactionStores, keys: Set<string>): TransactionStores {
  const orders: OrderStore = {
    load: (orderId) => tx.orders.load(orderId),
    stale: (filter) => tx.orders.stale(filter),
    create: async (change, meta: MessageMeta) => {
      await tx.orders.create(change, meta);
      keys.add(change.order.id);
    },
    update: async (orderId, fn, meta) => {
      const result = await tx.orders.update(orderId, fn, meta);
      if (result.ok) keys.add(orderId);
      return result;
    },
  };
  const outbox: Outbox = {
    append: async (topic, messages: readonly CloudEvent[]) => {
      await tx.outbox.append(topic, messages);
      for (const message of messages) keys.add(message.subject ?? message.id);
    },
    claim: (relayId, limit, leaseMs, options) => tx.outbox.claim(relayId, limit, leaseMs, options),
    markSent: (relayId, positions) => tx.outbox.markSent(relayId, positions),
    release: (relayId, positions) => tx.outbox.release(relayId, positions),
    setAside: (relayId, position, reason) => tx.outbox.setAside(relayId, position, reason),
    setAsideRecords: (options) => tx.outbox.setAsideRecords(options),
    restore: (position) => tx.outbox.restore(position),
    pending: () => tx.outbox.pending(),
  };
  return { ...tx, orders, outbox };
}
