import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { LatLng, Menu, OrderView, Restaurant } from "../api/types.js";
import { type Cart, afterFailedPlacement, emptyCart, orderItems } from "../cart/cart.js";
import { CityMap } from "../components/city-map.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { StatusBadge, shortId } from "../components/status.js";
import type { Session } from "../session/token.js";
import { MenuView } from "./menu-view.js";
import { Tracking } from "./tracking.js";

/** Alexanderplatz: the demo's default delivery address, in the middle of the demo restaurants. */
const DEFAULT_ADDRESS: LatLng = { lat: 52.521, lng: 13.41 };

/** The customer: restaurants near a point, a menu and cart, placing, and tracking the order live. */
export function CustomerScreen({ api, session }: { api: TiffinApi; session: Session }) {
  const [address, setAddress] = useState<LatLng>(DEFAULT_ADDRESS);
  const [query, setQuery] = useState("");
  const [restaurants, setRestaurants] = useState<readonly Restaurant[]>([]);
  const [chosen, setChosen] = useState<Restaurant | null>(null);
  const [menu, setMenu] = useState<Menu | null>(null);
  const [cart, setCart] = useState<Cart | null>(null);
  const [tracking, setTracking] = useState<string | null>(null);
  const [orders, setOrders] = useState<readonly OrderView[]>([]);
  const [error, setError] = useState<ApiError | null>(null);

  const fail = (e: unknown) => setError(asApiError(e));

  useEffect(() => {
    api.nearby(address, query).then((page) => setRestaurants(page.items), fail);
  }, [address.lat, address.lng, query]);

  useEffect(() => {
    if (tracking === null) api.myOrders().then((page) => setOrders(page.items), fail);
  }, [tracking]);

  const open = (restaurant: Restaurant) => {
    setChosen(restaurant);
    setError(null);
    api.menu(restaurant.id).then((m) => {
      setMenu(m);
      setCart((c) => (c?.restaurantId === m.restaurantId ? c : emptyCart(m.restaurantId, m.version)));
    }, fail);
  };

  const place = async () => {
    if (cart === null || chosen === null) return;
    setError(null);
    try {
      const order = await api.placeOrder({ restaurantId: chosen.id, items: orderItems(cart), deliveryAddress: { ...address, line1: "Pinned on the map" } }, cart.idempotencyKey);
      setCart(emptyCart(chosen.id, menu?.version ?? 0));
      setTracking(order.id);
    } catch (e) {
      const problem = asApiError(e);
      setCart(afterFailedPlacement(cart, problem.status));
      setError(problem);
    }
  };

  if (tracking !== null) {
    return <Tracking api={api} orderId={tracking} address={address} restaurants={restaurants} onBack={() => setTracking(null)} />;
  }

  return (
    <div class="customer">
      <ProblemBanner error={error} onDismiss={() => setError(null)} />
      <div class="columns">
        <section class="panel" aria-labelledby="near-heading">
          <h1 id="near-heading">Restaurants near you</h1>
          <p class="muted">Click the map to move your delivery address ({address.lat.toFixed(4)}, {address.lng.toFixed(4)}).</p>
          <CityMap
            title="Map of restaurants near your delivery address"
            centre={DEFAULT_ADDRESS}
            onPick={setAddress}
            markers={[
              { id: "home", at: address, kind: "home", label: "You" },
              ...restaurants.map((r) => ({ id: r.id, at: r.location, kind: r.id === chosen?.id ? ("selected" as const) : ("restaurant" as const), label: r.name })),
            ]}
          />
          <label class="search">
            <span>Search dishes, cuisines, names</span>
            <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="e.g. curry, pizza" />
          </label>
          <ul class="restaurant-list plain">
            {restaurants.map((r) => (
              <li key={r.id}>
                <button type="button" class={`restaurant ${r.id === chosen?.id ? "current" : ""}`} onClick={() => open(r)} aria-pressed={r.id === chosen?.id}>
                  <strong>{r.name}</strong>
                  <span class="muted">
                    {r.cuisine} · {r.distanceKm.toFixed(1)} km
                  </span>
                </button>
              </li>
            ))}
            {restaurants.length === 0 ? <li class="muted">No open restaurant within 10 km of this point.</li> : null}
          </ul>
          {orders.length === 0 ? null : (
            <>
              <h2>Your orders</h2>
              <ul class="plain order-list">
                {orders.slice(0, 6).map((o) => (
                  <li key={o.id}>
                    <button type="button" class="link" onClick={() => setTracking(o.id)}>
                      Order {shortId(o.id)}
                    </button>{" "}
                    <StatusBadge status={o.status} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section class="panel" aria-labelledby="menu-heading">
          {menu === null || cart === null || chosen === null ? (
            <>
              <h1 id="menu-heading">Menu</h1>
              <p class="muted">Choose a restaurant to see its menu.</p>
            </>
          ) : (
            <MenuView restaurant={chosen} menu={menu} cart={cart} onCart={setCart} onPlace={place} customer={session.sub} />
          )}
        </section>
      </div>
    </div>
  );
}
