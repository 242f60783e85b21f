// The naive baseline for bench:http: the least an HTTP server can do for a placement on this machine. A bare
// fastify route that writes the order row and its outbox row of bench/pgbench/schema.sql in one transaction with a
// pg pool: no authentication, validation, pricing, idempotency or row-level security. Tiffin's placement divided by
// this rate says what the guarantees cost; divided by the pgbench ceiling, what the whole HTTP path costs.
//   node bench/naive-placement.mjs <port> <database url>   (prints "listening" once ready)
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import pg from "pg";

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 20 });
const app = Fastify({ logger: false });

app.post("/orders", async (request, reply) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const payload = JSON.stringify(request.body);
    const order = await client.query("INSERT INTO orders (idempotency_key, customer_id, amount_cents, payload) VALUES ($1, $2, $3, $4) RETURNING id", [
      randomUUID(),
      12345,
      8997,
      payload,
    ]);
    await client.query("INSERT INTO outbox (aggregate_id, topic, payload) VALUES ($1, 'order.created', $2)", [order.rows[0].id, payload]);
    await client.query("COMMIT");
    return reply.code(201).send({ id: order.rows[0].id });
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
});

await app.listen({ port: Number(port), host: "127.0.0.1" });
console.log("listening");
process.on("SIGTERM", () => {
  void app.close().then(() => pool.end());
});
