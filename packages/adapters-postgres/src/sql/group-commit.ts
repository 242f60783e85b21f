import { Batcher, type ItemOutcome, type Principal } from "@tiffin/core";
import type { SqlExecutor } from "./database.js";
import { principalSetup } from "./database.js";
import { isRetryableSqlError } from "./retry.js";

/** One transaction's work, waiting for a group to run it in. */
export interface GroupMember {
  readonly principal: Principal;
  readonly fn: (tx: SqlExecutor) => Promise<unknown>;
}

/** What a group needs from the driver: a connection for one transaction, and a transaction of its own for a member. */
export interface GroupConnection {
  /** Runs `body` on one checked-out connection inside BEGIN ... COMMIT (ROLLBACK when it throws). */
  withTransaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** The ordinary path: `fn` alone in its own transaction as `principal`, retried on serialization failures. */
  alone(principal: Principal, fn: (tx: SqlExecutor) => Promise<unknown>): Promise<unknown>;
}

/**
 * Group commit: concurrent transactions of customers share one database transaction, so its commit (a WAL flush) and
 * BEGIN are paid once per group. Each member runs in a savepoint of its own with its own role and principal set
 * (`SET LOCAL ROLE` and `set_config(..., true)`, as for a transaction of its own), one member after another on the
 * one connection: every statement of a member runs under that member's principal, so row-level security holds
 * member by member (docs/ARCHITECTURE.md, "The placement path"). A member that throws is rolled back to its savepoint
 * and fails alone; one that meets a serialization failure or deadlock runs again alone after the group. Answers are
 * given only after the group committed; a group that cannot commit fails every member with that error.
 */
export class GroupCommit {
  private readonly batcher: Batcher<GroupMember, unknown>;

  constructor(
    private readonly connection: GroupConnection,
    options: { readonly slots: number; readonly maxMembers: number },
  ) {
    this.batcher = new Batcher((members) => this.runGroup(members), { concurrency: options.slots, maxBatch: options.maxMembers });
  }

  run<T>(principal: Principal, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.batcher.submit({ principal, fn }) as Promise<T>;
  }

  private async runGroup(members: readonly GroupMember[]): Promise<ItemOutcome<unknown>[]> {
    // A group of one is an ordinary transaction (no savepoint to pay for).
    if (members.length === 1) {
      const [only] = members as [GroupMember];
      return [await settle(this.connection.alone(only.principal, only.fn))];
    }
    const outcomes: ItemOutcome<unknown>[] = [];
    const again: number[] = [];
    await this.connection.withTransaction(async (tx) => {
      // A member's savepoint is released in the same round trip as the next member's is set (COMMIT releases the
      // last): releasing cannot fail but with the connection, which fails the whole group anyway.
      let release = "";
      for (const [index, member] of members.entries()) {
        await tx.exec(`${release}SAVEPOINT tiffin_member;\n${principalSetup(member.principal)}`);
        try {
          const value = await member.fn(tx);
          release = "RELEASE SAVEPOINT tiffin_member;\n";
          outcomes[index] = { ok: true, value };
        } catch (error) {
          // Undoes this member's writes and its role and principal; a failure here (a lost connection) fails the group.
          await tx.exec("ROLLBACK TO SAVEPOINT tiffin_member; RELEASE SAVEPOINT tiffin_member");
          release = "";
          if (isRetryableSqlError(error)) again.push(index);
          else outcomes[index] = { ok: false, error };
        }
      }
    });
    for (const index of again) {
      const member = members[index] as GroupMember;
      outcomes[index] = await settle(this.connection.alone(member.principal, member.fn));
    }
    return outcomes;
  }
}

const settle = <T>(work: Promise<T>): Promise<ItemOutcome<T>> =>
  work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
