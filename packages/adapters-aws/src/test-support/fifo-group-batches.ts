import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

interface InflightEntry {
  readonly message: { readonly messageGroupId?: string };
}

interface FifoQueue {
  readonly fifoLockedGroups: Map<string, number>;
  readonly inflightMessages: Map<string, InflightEntry>;
  dequeueFifo(maxCount: number, visibilityTimeout: number | undefined, dlqResolver: unknown): { ReceiptHandle: string }[];
}

/**
 * Makes fauxqs answer a FIFO receive the way SQS documents it: "as many messages with the same message group ID as
 * possible" in one batch. fauxqs 1.9 hands out one message per group per receive, so a consumer's handling of a
 * group's followers behind a failing head cannot be seen on it otherwise. The patch calls fauxqs's own dequeue again
 * for the groups this receive already opened (their lock lifted in between and restored after), so every other rule
 * (visibility, receive counts, redrive) stays fauxqs's. fauxqs does not export its queue class; it is loaded from
 * the package's files, the same module instance the server uses.
 */
export async function handOutWholeFifoGroups(): Promise<void> {
  // The package's exports name only its entry, so its folder is found the way Node looks packages up.
  const folders = createRequire(import.meta.url).resolve.paths("fauxqs") ?? [];
  const root = folders.map((folder) => join(folder, "fauxqs")).find((folder) => existsSync(join(folder, "package.json")));
  if (root === undefined) throw new Error("fauxqs is not installed");
  const store = join(root, "dist", "sqs", "sqsStore.js");
  const { SqsQueue } = (await import(pathToFileURL(store).href)) as { SqsQueue: { prototype: FifoQueue } };
  const single = SqsQueue.prototype.dequeueFifo;
  SqsQueue.prototype.dequeueFifo = function (this: FifoQueue, maxCount, visibilityTimeout, dlqResolver) {
    const count = Math.min(maxCount, 10);
    const received: { ReceiptHandle: string }[] = [];
    const opened = new Map<string, number>();
    for (;;) {
      const batch = single.call(this, count - received.length, visibilityTimeout, dlqResolver);
      received.push(...batch);
      if (batch.length === 0 || received.length >= count) break;
      for (const { ReceiptHandle } of batch) {
        const group = this.inflightMessages.get(ReceiptHandle)?.message.messageGroupId;
        if (group === undefined) continue;
        opened.set(group, (opened.get(group) ?? 0) + 1);
        const locks = (this.fifoLockedGroups.get(group) ?? 1) - 1;
        if (locks > 0) this.fifoLockedGroups.set(group, locks);
        else this.fifoLockedGroups.delete(group);
      }
    }
    for (const [group, locks] of opened) this.fifoLockedGroups.set(group, (this.fifoLockedGroups.get(group) ?? 0) + locks);
    return received;
  };
}
