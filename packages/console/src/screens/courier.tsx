import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { LatLng, Offer, OrderView } from "../api/types.js";
import { CityMap } from "../components/city-map.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { StatusBadge, shortId } from "../components/status.js";
import type { Session } from "../session/token.js";

const START: LatLng = { lat: 52.521, lng: 13.407 };
const OFFER_POLL_MS = 1000;

/** Seconds left on an offer by this device's clock. */
const secondsLeft = (offer: Offer, now: number) => Math.max(0, Math.ceil((Date.parse(offer.expiresAt) - now) / 1000));

/** A step of `fraction` of the way from `from` to `to`: the courier's "move" button. */
const toward = (from: LatLng, to: LatLng, fraction: number): LatLng => ({
  lat: Math.round((from.lat + (to.lat - from.lat) * fraction) * 100_000) / 100_000,
  lng: Math.round((from.lng + (to.lng - from.lng) * fraction) * 100_000) / 100_000,
});

/** The courier: go on shift, answer offers before they expire, pick up, deliver, and report where you are. */
export function CourierScreen({ api, session }: { api: TiffinApi; session: Session }) {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [offers, setOffers] = useState<readonly Offer[]>([]);
  const [now, setNow] = useState(Date.now());
  const [jobs, setJobs] = useState<readonly OrderView[]>([]);
  const [position, setPosition] = useState<LatLng>(START);
  const [error, setError] = useState<ApiError | null>(null);
  const fail = (e: unknown) => setError(asApiError(e));

  // Offers have no stream: they are polled, and the countdown ticks on the device's clock.
  useEffect(() => {
    let stopped = false;
    const poll = () =>
      api.offers().then(
        (page) => !stopped && setOffers(page.items),
        (e: unknown) => !stopped && fail(e),
      );
    void poll();
    const offersTimer = setInterval(() => void poll(), OFFER_POLL_MS);
    const clock = setInterval(() => setNow(Date.now()), 250);
    return () => {
      stopped = true;
      clearInterval(offersTimer);
      clearInterval(clock);
    };
  }, []);

  const refreshJobs = async (ids: readonly string[]) => {
    const views = await Promise.all(ids.map((id) => api.order(id).catch(() => null)));
    setJobs(views.filter((v): v is OrderView => v !== null && v.status !== "delivered" && v.status !== "cancelled"));
  };
  useEffect(() => {
    if (jobs.length === 0) return;
    const timer = setInterval(() => void refreshJobs(jobs.map((j) => j.id)), 2000);
    return () => clearInterval(timer);
  }, [jobs.map((j) => j.id).join()]);

  const shift = (on: boolean) => {
    setError(null);
    api.setAvailable(on).then((a) => setAvailable(a.available), fail);
  };
  const answer = (offer: Offer, verdict: "accept" | "decline") => {
    setError(null);
    api.answerOffer(offer, verdict).then(async () => {
      setOffers((all) => all.filter((o) => o.id !== offer.id));
      if (verdict === "accept") await refreshJobs([...jobs.map((j) => j.id), offer.orderId]);
    }, fail);
  };
  const step = (job: OrderView, which: "picked-up" | "delivered") => {
    setError(null);
    api.courierStep(job.id, which).then(() => refreshJobs(jobs.map((j) => j.id)), fail);
  };
  const moveTo = (at: LatLng) => {
    setError(null);
    api.reportPosition(at).then(() => setPosition(at), fail);
  };

  return (
    <div class="courier-screen">
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
      <div class="toolbar">
        <h1>Courier · {session.sub}</h1>
        <button type="button" class="primary" onClick={() => shift(true)} aria-pressed={available === true}>
          Go available
        </button>
        <button type="button" class="secondary" onClick={() => shift(false)} aria-pressed={available === false}>
          Go off shift
        </button>
        {available === null ? null : <span class={`badge ${available ? "status-delivered" : "status-placed"}`}>{available ? "On shift" : "Off shift"}</span>}
      </div>
      <div class="columns">
        <section class="panel" aria-labelledby="offers-heading">
          <h2 id="offers-heading">Offers</h2>
          {offers.length === 0 ? <p class="muted">No open offer. Offers appear here when a restaurant near you accepts an order.</p> : null}
          <ul class="plain">
            {offers.map((offer) => {
              const left = secondsLeft(offer, now);
              return (
                <li key={offer.id} class="card offer" data-offer={offer.id}>
                  <div class="item-head">
                    <strong>Order {shortId(offer.orderId)}</strong>
                    <span class={`countdown ${left <= 3 ? "urgent" : ""}`} role="timer" aria-label={`${left} seconds left`}>
                      {left}s
                    </span>
                  </div>
                  <p class="muted">Pick up at {offer.restaurantId}</p>
                  <div class="actions">
                    <button type="button" class="primary" disabled={left === 0} onClick={() => answer(offer, "accept")}>
                      Accept
                    </button>
                    <button type="button" class="secondary" onClick={() => answer(offer, "decline")}>
                      Decline
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
          <h2>Your deliveries</h2>
          {jobs.length === 0 ? <p class="muted">None in progress.</p> : null}
          <ul class="plain">
            {jobs.map((job) => (
              <li key={job.id} class="card job" data-job={job.id}>
                <div class="item-head">
                  <strong>Order {shortId(job.id)}</strong>
                  <StatusBadge status={job.status} />
                </div>
                <div class="actions">
                  <button type="button" class="primary" disabled={job.status !== "ready"} onClick={() => step(job, "picked-up")}>
                    Picked up
                  </button>
                  <button type="button" class="primary" disabled={job.status !== "picked_up"} onClick={() => step(job, "delivered")}>
                    Delivered
                  </button>
                  <button type="button" class="secondary" onClick={() => moveTo(toward(position, { lat: 52.521, lng: 13.41 }, 0.5))}>
                    Ride toward Alexanderplatz
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
        <section class="panel" aria-label="Your position">
          <h2>Your position</h2>
          <p class="muted">Click the map to report where you are ({position.lat.toFixed(4)}, {position.lng.toFixed(4)}).</p>
          <CityMap title="Map: click to report your position" centre={START} onPick={moveTo} markers={[{ id: session.sub, at: position, kind: "courier", label: "You" }]} />
        </section>
      </div>
    </div>
  );
}
