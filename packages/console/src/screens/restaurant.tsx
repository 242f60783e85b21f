import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { Menu, OrderView, Page } from "../api/types.js";
import { formatMoney } from "../cart/cart.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { StatusBadge, shortId } from "../components/status.js";
import type { Session } from "../session/token.js";
import { useStream } from "../stream/use-stream.js";

const COLUMNS = [
  { title: "New", statuses: ["placed", "confirmed"] },
  { title: "Preparing", statuses: ["preparing"] },
  { title: "Ready for pickup", statuses: ["ready", "picked_up"] },
] as const;

function OrderCard({ order, act }: { order: OrderView; act: (order: OrderView, action: "accept" | "reject" | "ready") => void }) {
  return (
    <li class="card order-card" data-order={order.id}>
      <div class="item-head">
        <strong>Order {shortId(order.id)}</strong>
        <StatusBadge status={order.status} />
      </div>
      <ul class="plain">
        {order.lines.map((line, i) => (
          <li key={i}>
            {line.quantity} × {line.name}
            {line.options.length === 0 ? null : <span class="muted"> · {line.options.map((o) => o.name).join(", ")}</span>}
          </li>
        ))}
      </ul>
      <p class="muted">
        {formatMoney(order.total)} · payment {order.paymentStatus}
      </p>
      <div class="actions">
        {order.status === "placed" && order.paymentStatus === "captured" ? (
          <>
            <button type="button" class="primary" onClick={() => act(order, "accept")}>
              Accept
            </button>
            <button type="button" class="danger" onClick={() => act(order, "reject")}>
              Reject
            </button>
          </>
        ) : null}
        {order.status === "placed" && order.paymentStatus === "pending" ? <span class="muted">Waiting for payment…</span> : null}
        {order.status === "preparing" ? (
          <button type="button" class="primary" onClick={() => act(order, "ready")}>
            Mark ready
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** Restaurant staff: the live board from its stream, kitchen actions, pausing intake and switching items or options off. */
export function RestaurantScreen({ api, session }: { api: TiffinApi; session: Session }) {
  const restaurantId = session.restaurantId ?? "";
  const board = useStream<Page<OrderView>>(`/v1/restaurants/${encodeURIComponent(restaurantId)}/board/stream`, "board", api.token);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [paused, setPaused] = useState<boolean | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const fail = (e: unknown) => setError(asApiError(e));
  const reloadMenu = () => api.menu(restaurantId).then(setMenu, fail);

  useEffect(() => {
    void reloadMenu();
    api.restaurantDetails(restaurantId).then((d) => setPaused(d.closedNow), fail);
  }, [restaurantId]);

  const act = (order: OrderView, action: "accept" | "reject" | "ready") => {
    setError(null);
    api.kitchen(restaurantId, order.id, action).catch(fail);
  };
  const togglePause = () => api.pauseIntake(restaurantId, !paused).then((d) => setPaused(d.closedNow), fail);
  const switchItem = (itemId: string, available: boolean) => api.setItem(restaurantId, itemId, available).then(reloadMenu, fail);
  const switchOption = (itemId: string, optionId: string, available: boolean) => api.setOption(restaurantId, itemId, optionId, available).then(reloadMenu, fail);

  const orders = board.latest?.items ?? [];
  return (
    <div class="restaurant-screen">
      <ProblemBanner error={error ?? board.error} onDismiss={() => setError(null)} />
      <div class="toolbar">
        <h1>Kitchen board · {restaurantId}</h1>
        <span class={`live live-${board.state}`}>{board.state === "open" ? "Live" : board.state}</span>
        <button type="button" class={paused ? "primary" : "secondary"} onClick={() => void togglePause()} disabled={paused === null} aria-pressed={paused === true}>
          {paused ? "Resume taking orders" : "Pause intake"}
        </button>
        {paused ? <span class="badge status-cancelled">Intake paused</span> : <span class="badge status-delivered">Taking orders</span>}
      </div>
      <div class="board">
        {COLUMNS.map((column) => {
          const inColumn = orders.filter((o) => (column.statuses as readonly string[]).includes(o.status));
          return (
            <section key={column.title} class="board-column" aria-label={column.title}>
              <h2>
                {column.title} <span class="count">{inColumn.length}</span>
              </h2>
              <ul class="plain">
                {inColumn.map((order) => (
                  <OrderCard key={order.id} order={order} act={act} />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      <section class="panel stock" aria-labelledby="stock-heading">
        <h2 id="stock-heading">Menu availability {menu === null ? null : <span class="muted">version {menu.version}</span>}</h2>
        <ul class="plain">
          {menu?.categories.flatMap((c) => c.items).map((item) => (
            <li key={item.id} class="stock-row">
              <label>
                <input type="checkbox" checked={item.available} onChange={() => void switchItem(item.id, !item.available)} />
                {item.name}
                {item.soldOut ? <span class="badge status-cancelled">sold out</span> : null}
              </label>
              {item.optionGroups.flatMap((g) => g.options).map((option) => (
                <label key={option.id} class="stock-option">
                  <input type="checkbox" checked={option.available} onChange={() => void switchOption(item.id, option.id, !option.available)} />
                  {option.name}
                </label>
              ))}
            </li>
          ))}
          {menu?.combos.map((combo) => (
            <li key={combo.id} class="stock-row">
              <label>
                <input type="checkbox" checked={combo.available} onChange={() => void switchItem(combo.id, !combo.available)} />
                {combo.name} <span class="muted">(combo)</span>
              </label>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
