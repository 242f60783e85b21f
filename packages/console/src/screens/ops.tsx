import { useEffect, useState } from "preact/hooks";
// The topology's names from core's source (a module without imports), so the console lists every subscription.
import { SUBSCRIPTIONS } from "../../../core/src/messaging/topology.js";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { DeadLetter, LedgerEntry, OrderView, Saga } from "../api/types.js";
import { formatMoney } from "../cart/cart.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { StatusBadge, Timeline, shortId } from "../components/status.js";

/**
 * The API's name for the outbox records the relay set aside (`GET /admin/dead-letters?subscription=outbox`). Core's
 * module that defines it also encodes messages (node:buffer), which a browser bundle should not pull in.
 */
const OUTBOX_DEAD_LETTERS = "outbox";
/** Where dead letters are kept: each subscription of the topology, and the relay's set-aside outbox records. */
const DEAD_LETTER_QUEUES = [...Object.values(SUBSCRIPTIONS), OUTBOX_DEAD_LETTERS];
/** A running saga untouched this long is shown as stalled. */
const STALLED_MS = 60_000;
/** Order views fetched for the status overview: the sagas' newest orders. */
const OVERVIEW_ORDERS = 40;
const ORDER_STATUSES = ["placed", "confirmed", "preparing", "ready", "picked_up", "delivered", "cancelled"];

const ago = (iso: string) => {
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? `${s}s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

function OrderDetail({ api, orderId, onClose }: { api: TiffinApi; orderId: string; onClose: () => void }) {
  const [order, setOrder] = useState<OrderView | null>(null);
  const [saga, setSaga] = useState<Saga | null>(null);
  const [ledger, setLedger] = useState<readonly LedgerEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    const fail = (e: unknown) => setError(asApiError(e));
    api.order(orderId).then(setOrder, fail);
    api.saga(orderId).then(setSaga, fail);
    api.ledger(orderId).then((l) => setLedger(l.items), fail);
  }, [orderId]);
  return (
    <section class="panel detail" aria-labelledby="detail-heading">
      <div class="item-head">
        <h2 id="detail-heading">Order {orderId}</h2>
        <button type="button" class="ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <ProblemBanner error={error} />
      {order === null ? null : (
        <>
          <p>
            <StatusBadge status={order.status} /> payment {order.paymentStatus} · {formatMoney(order.total)} · restaurant {order.restaurantId} · courier {order.courierId ?? "none"}
          </p>
          <p>
            Trace id{" "}
            {order.traceId === undefined ? <span class="muted">not recorded</span> : <code data-testid="trace-id">{order.traceId}</code>}
          </p>
          <Timeline order={order} />
        </>
      )}
      <h3>Payment saga</h3>
      {saga === null ? (
        <p class="muted">No saga yet.</p>
      ) : (
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <span class={`badge saga-${saga.status}`}>{saga.status}</span>
          </dd>
          <dt>Step</dt>
          <dd>{saga.step ?? "—"}</dd>
          <dt>Attempts</dt>
          <dd>{saga.attempts}</dd>
          <dt>Last error</dt>
          <dd>{saga.lastError ?? "—"}</dd>
          <dt>Updated</dt>
          <dd>{ago(saga.updatedAt)}</dd>
        </dl>
      )}
      <h3>Provider ledger</h3>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Party</th>
            <th scope="col">Amount</th>
            <th scope="col">Idempotency key</th>
          </tr>
        </thead>
        <tbody>
          {ledger.map((entry) => (
            <tr key={entry.idempotencyKey}>
              <td>{entry.kind}</td>
              <td>
                {entry.party} {entry.partyId}
              </td>
              <td class="num">{formatMoney(entry.amount)}</td>
              <td>
                <code>{entry.idempotencyKey}</code>
              </td>
            </tr>
          ))}
          {ledger.length === 0 ? (
            <tr>
              <td colSpan={4} class="muted">
                No money moved yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

/** Operations: orders by status, sagas (stalled and unresolved first), an order's saga and ledger, dead letters with replay. */
export function OpsScreen({ api }: { api: TiffinApi }) {
  const [sagas, setSagas] = useState<readonly Saga[]>([]);
  const [orders, setOrders] = useState<readonly OrderView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [subscription, setSubscription] = useState<string>(DEAD_LETTER_QUEUES[0] ?? OUTBOX_DEAD_LETTERS);
  const [letters, setLetters] = useState<readonly DeadLetter[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const fail = (e: unknown) => setError(asApiError(e));

  const refresh = async () => {
    try {
      const page = await api.sagas();
      setSagas(page.items);
      // There is no admin order list: the newest sagas name the newest orders, and an admin may read any order.
      const views = await Promise.all(page.items.slice(0, OVERVIEW_ORDERS).map((s) => api.order(s.orderId).catch(() => null)));
      setOrders(views.filter((v): v is OrderView => v !== null));
    } catch (e) {
      fail(e);
    }
  };
  const loadLetters = (name: string) => api.deadLetters(name).then((page) => setLetters(page.items), fail);

  useEffect(() => {
    void refresh();
  }, []);
  useEffect(() => {
    void loadLetters(subscription);
  }, [subscription]);

  const replay = (letter: DeadLetter) => {
    setError(null);
    api.replay(letter.id).then(async () => {
      setNotice(`Replayed dead letter ${letter.id} (${letter.type ?? "unreadable message"}): sent back to ${letter.subscription} as a fresh delivery.`);
      await loadLetters(subscription);
    }, fail);
  };

  const now = Date.now();
  const attention = sagas.filter(
    (s) =>
      s.status === "failed" ||
      s.status === "unresolved" ||
      s.status === "compensating" ||
      (s.status === "running" && (s.lastError !== null || now - Date.parse(s.updatedAt) > STALLED_MS)),
  );
  return (
    <div class="ops">
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
      {notice === null ? null : (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="toolbar">
        <h1>Operations</h1>
        <button type="button" class="secondary" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      <section class="panel" aria-labelledby="by-status">
        <h2 id="by-status">Orders by status <span class="muted">(newest {OVERVIEW_ORDERS})</span></h2>
        <div class="status-strip">
          {ORDER_STATUSES.map((status) => {
            const inStatus = orders.filter((o) => o.status === status);
            return (
              <div key={status} class="status-cell">
                <StatusBadge status={status} />
                <span class="count">{inStatus.length}</span>
                <ul class="plain">
                  {inStatus.slice(0, 5).map((o) => (
                    <li key={o.id}>
                      <button type="button" class="link" onClick={() => setSelected(o.id)}>
                        {shortId(o.id)}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </div>
      </section>
      {selected === null ? null : <OrderDetail api={api} orderId={selected} onClose={() => setSelected(null)} />}
      <div class="columns">
        <section class="panel" aria-labelledby="attention-heading">
          <h2 id="attention-heading">Sagas needing attention</h2>
          <p class="muted">Failed, compensating, unresolved (a payment step awaiting the provider's ledger) or stalled (running, no progress for a minute).</p>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Status</th>
                <th scope="col">Step</th>
                <th scope="col">Last error</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {attention.map((s) => (
                <tr key={s.orderId}>
                  <td>
                    <button type="button" class="link" onClick={() => setSelected(s.orderId)}>
                      {shortId(s.orderId)}
                    </button>
                  </td>
                  <td>
                    <span class={`badge saga-${s.status}`}>{s.status}</span>
                  </td>
                  <td>{s.step ?? "—"}</td>
                  <td>{s.lastError ?? (s.status === "running" ? "stalled" : "—")}</td>
                  <td>{ago(s.updatedAt)}</td>
                </tr>
              ))}
              {attention.length === 0 ? (
                <tr>
                  <td colSpan={5} class="muted">
                    Every saga is moving.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </section>
        <section class="panel" aria-labelledby="dlq-heading">
          <h2 id="dlq-heading">Dead letters</h2>
          <label class="search">
            <span>Subscription</span>
            <select value={subscription} onChange={(e) => setSubscription((e.target as HTMLSelectElement).value)}>
              {DEAD_LETTER_QUEUES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <ul class="plain">
            {letters.map((letter) => (
              <li key={letter.id} class="card letter" data-letter={letter.id}>
                <div class="item-head">
                  <strong>{letter.type ?? "unreadable message"}</strong>
                  <button type="button" class="primary" onClick={() => replay(letter)} aria-label={`Replay dead letter ${letter.id}`}>
                    Replay
                  </button>
                </div>
                <p class="reason">{letter.reason}</p>
                <p class="muted">
                  {letter.attempts} attempts · {ago(letter.deadLetteredAt)}
                  {letter.orderId === null ? null : (
                    <>
                      {" · order "}
                      <button type="button" class="link" onClick={() => setSelected(letter.orderId)}>
                        {shortId(letter.orderId)}
                      </button>
                    </>
                  )}
                </p>
              </li>
            ))}
            {letters.length === 0 ? <li class="muted">No dead letters on {subscription}.</li> : null}
          </ul>
        </section>
      </div>
    </div>
  );
}
