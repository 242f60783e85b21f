// Pure rules from core's source (its domain imports nothing), so the console keeps no copy of them.
import { isOrderSettled } from "../../../core/src/application/projections/order-settled.js";
import { CANCELLABLE_FROM } from "../../../core/src/domain/order.js";
import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { LatLng, OrderView, Restaurant } from "../api/types.js";
import { formatMoney } from "../cart/cart.js";
import { CityMap, type MapMarker } from "../components/city-map.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { StatusBadge, Timeline, shortId } from "../components/status.js";
import { useStream } from "../stream/use-stream.js";

const REASONS: Record<string, string> = {
  customer_cancelled: "you cancelled it",
  payment_declined: "the payment was declined",
  restaurant_rejected: "the restaurant could not take it",
  no_courier: "no courier was available",
};

/** One order, live from its event stream: status, timeline, the courier on the map, and cancel while allowed. */
export function Tracking(props: { api: TiffinApi; orderId: string; address: LatLng; restaurants: readonly Restaurant[]; onBack: () => void }) {
  const { api, orderId, address, restaurants, onBack } = props;
  const stream = useStream<OrderView>(`/v1/orders/${encodeURIComponent(orderId)}/stream`, "order", api.token, isOrderSettled);
  const [error, setError] = useState<ApiError | null>(null);
  const [trail, setTrail] = useState<LatLng[]>([]);
  const order = stream.latest;

  useEffect(() => {
    const at = order?.courierPosition;
    if (at != null) setTrail((t) => (t.length > 0 && t[t.length - 1]?.lat === at.lat && t[t.length - 1]?.lng === at.lng ? t : [...t, at]));
  }, [order?.courierPosition?.lat, order?.courierPosition?.lng]);

  const cancel = () => api.cancel(orderId).then(() => setError(null), (e: unknown) => setError(asApiError(e)));
  const restaurant = restaurants.find((r) => r.id === order?.restaurantId);
  const markers: MapMarker[] = [
    { id: "home", at: address, kind: "home", label: "You" },
    ...(restaurant === undefined ? [] : [{ id: restaurant.id, at: restaurant.location, kind: "restaurant" as const, label: restaurant.name }]),
    ...(order?.courierPosition == null ? [] : [{ id: "courier", at: order.courierPosition, kind: "courier" as const, label: "Courier" }]),
  ];

  return (
    <div class="tracking">
      <button type="button" class="link" onClick={onBack}>
        ← Back to restaurants
      </button>
      <ProblemBanner error={error ?? stream.error} onDismiss={() => setError(null)} />
      <div class="columns">
        <section class="panel" aria-labelledby="order-heading">
          <h1 id="order-heading">
            Order {shortId(orderId)} {order === null ? null : <StatusBadge status={order.status} />}
          </h1>
          <p class={`live live-${stream.state}`} aria-live="polite">
            {stream.state === "open" ? "Live" : stream.state === "reconnecting" ? "Reconnecting…" : stream.state === "ended" ? "Final" : "Connecting…"}
          </p>
          {order === null ? (
            <p class="muted">Waiting for the first event…</p>
          ) : (
            <>
              <p data-testid="order-status" data-status={order.status} data-payment={order.paymentStatus}>
                Status: <strong>{order.status.replace("_", " ")}</strong> · payment <strong>{order.paymentStatus.replace("_", " ")}</strong>
              </p>
              {order.cancellationReason === null ? null : <p class="hint">Cancelled because {REASONS[order.cancellationReason] ?? order.cancellationReason}.</p>}
              <Timeline order={order} />
              <table class="lines">
                <caption>Priced by the server against menu version {order.menuVersion}</caption>
                <tbody>
                  {order.lines.map((line, i) => (
                    <tr key={i}>
                      <td>
                        {line.quantity} × {line.name}
                        {line.options.length === 0 ? null : <span class="muted"> · {line.options.map((o) => o.name).join(", ")}</span>}
                      </td>
                      <td class="num">{formatMoney(line.lineTotal)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Total</th>
                    <td class="num" data-testid="order-total">
                      {formatMoney(order.total)}
                    </td>
                  </tr>
                </tfoot>
              </table>
              {CANCELLABLE_FROM.includes(order.status) ? (
                <button type="button" class="danger" onClick={() => void cancel()}>
                  Cancel order
                </button>
              ) : null}
            </>
          )}
        </section>
        <section class="panel" aria-label="Delivery map">
          <h2>Where it is</h2>
          <CityMap title="Map with the restaurant, your address and the courier" centre={address} markers={markers} route={trail} />
          <p class="muted">{order?.courierId == null ? "No courier assigned yet." : `Courier ${order.courierId}${order.courierPosition === null ? "" : " is on the map"}.`}</p>
        </section>
      </div>
    </div>
  );
}
