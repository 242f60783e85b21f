import type { OrderView } from "../api/types.js";

const LABELS: Record<string, string> = {
  placed: "Placed",
  confirmed: "Confirmed",
  preparing: "Preparing",
  ready: "Ready",
  picked_up: "On the way",
  delivered: "Delivered",
  cancelled: "Cancelled",
};

/** An order status as a coloured badge; the colour classes are defined once in styles.css. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{LABELS[status] ?? status}</span>;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The order's timeline, oldest first, as an ordered list. */
export function Timeline({ order }: { order: OrderView }) {
  return (
    <ol class="timeline" aria-label="Order timeline">
      {order.timeline.map((step) => (
        <li key={`${step.status}-${step.at}`} class={`step status-${step.status}`}>
          <StatusBadge status={step.status} />
          <time dateTime={step.at}>{time(step.at)}</time>
        </li>
      ))}
    </ol>
  );
}

export const shortId = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);
