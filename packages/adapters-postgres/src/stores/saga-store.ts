import { type SagaState, type SagaStatus, type SagaStore, SagaVersionConflictError } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { json } from "./rows.js";

/** Payment sagas as JSON documents, with the columns recovery and the admin API filter on. */
export class PostgresSagaStore implements SagaStore {
  constructor(private readonly tx: SqlExecutor) {}

  async load(orderId: string): Promise<SagaState | null> {
    const rows = await this.tx.query<{ state: SagaState }>("SELECT state FROM sagas WHERE order_id = $1", [orderId]);
    return rows[0]?.state ?? null;
  }

  async save(state: SagaState): Promise<void> {
    const params = [state.orderId, state.status, state.step, state.version, state.updatedAt, json(state)];
    const saved =
      state.version === 1
        ? await this.tx.query(
            `INSERT INTO sagas (order_id, status, step, version, updated_at, state) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
             ON CONFLICT (order_id) DO NOTHING RETURNING 1`,
            params,
          )
        : await this.tx.query(
            `UPDATE sagas SET status = $2, step = $3, version = $4, updated_at = $5, state = $6::jsonb
             WHERE order_id = $1 AND version = $4 - 1 RETURNING 1`,
            params,
          );
    if (saved.length === 0) throw new SagaVersionConflictError(state.orderId, state.version - 1);
  }

  async list(filter: { status?: SagaStatus; limit: number }): Promise<SagaState[]> {
    const rows = await this.tx.query<{ state: SagaState }>(
      `SELECT state FROM sagas WHERE ($1::text IS NULL OR status = $1) ORDER BY updated_at DESC, order_id LIMIT $2`,
      [filter.status ?? null, filter.limit],
    );
    return rows.map((r) => r.state);
  }

  async stalled(olderThan: Date, limit: number): Promise<SagaState[]> {
    const rows = await this.tx.query<{ state: SagaState }>(
      `SELECT state FROM sagas WHERE status IN ('running', 'compensating') AND step IS NOT NULL AND updated_at < $1
       ORDER BY updated_at LIMIT $2`,
      [olderThan.toISOString(), limit],
    );
    return rows.map((r) => r.state);
  }

  async idle(olderThan: Date, limit: number, afterOrderId = ""): Promise<SagaState[]> {
    const rows = await this.tx.query<{ state: SagaState }>(
      `SELECT state FROM sagas WHERE status = 'running' AND step IS NULL AND updated_at < $1 AND order_id > $3
       ORDER BY order_id LIMIT $2`,
      [olderThan.toISOString(), limit, afterOrderId],
    );
    return rows.map((r) => r.state);
  }
}
