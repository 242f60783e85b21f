import { TOKENS, type MessageSubscriber } from "@tiffin/core";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { POSTGRES_TOKENS, postgresStoresModule, postgresTransportModule } from "./container-module.js";
import { PgDatabase } from "./sql/pg-database.js";
import { PostgresDeadLetters } from "./transport/dead-letters.js";
import { PostgresPublisher } from "./transport/publisher.js";
import { PostgresSubscriber } from "./transport/subscriber.js";
import { PostgresUnitOfWork } from "./unit-of-work.js";

describe("postgres container modules", () => {
  it("bind the unit of work and the transport to core's tokens, one subscriber closed on unbind", async () => {
    // A pool connects lazily: nothing here touches a server.
    const db = new PgDatabase({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
    const container = new Container();
    container.load(postgresStoresModule(db), postgresTransportModule(db));
    expect(container.get(POSTGRES_TOKENS.Database)).toBe(db);
    expect(container.get(TOKENS.UnitOfWork)).toBeInstanceOf(PostgresUnitOfWork);
    expect(container.get(TOKENS.MessagePublisher)).toBeInstanceOf(PostgresPublisher);
    expect(container.get(TOKENS.DeadLetters)).toBeInstanceOf(PostgresDeadLetters);
    const subscriber = container.get<MessageSubscriber>(TOKENS.MessageSubscriber);
    expect(subscriber).toBeInstanceOf(PostgresSubscriber);
    expect(container.get(TOKENS.MessageSubscriber)).toBe(subscriber);
    let closed = false;
    const close = subscriber.close.bind(subscriber);
    subscriber.close = async () => {
      closed = true;
      await close();
    };
    await container.unbindAllAsync();
    expect(closed).toBe(true);
    await db.close();
  });
});
