import {
  ALWAYS_OPEN,
  AutoKitchen,
  type MenuDocument,
  type NewRestaurant,
  PaymentSagaRunner,
  type Principal,
  SimulatedPaymentGateway,
  SimulatedPayoutGateway,
  type Tiffin,
  Worker,
  createTiffin,
  money,
} from "@tiffin/core";
import { InMemoryBroker, InMemoryProviderStore, InMemoryUnitOfWork, RandomIds, systemClock } from "@tiffin/core/memory";

/** Tiffin running inside this process: the application facade and its background worker, all in memory. */
export interface EmbeddedPlatform {
  readonly tiffin: Tiffin;
  readonly worker: Worker;
  stop(): Promise<void>;
}

const eur = (amount: number) => money(amount, "EUR");

export const RESTAURANT = {
  id: "r-noodle-bar",
  name: "Noodle Bar",
  cuisine: "thai",
  city: "berlin",
  location: { lat: 52.52, lng: 13.405 },
  timeZone: "Europe/Berlin",
  hours: ALWAYS_OPEN,
  prepMinutes: 15,
} as const satisfies NewRestaurant;

/** A small composite menu: an item with a required option group, and a second item. */
export const MENU: MenuDocument = {
  restaurantId: RESTAURANT.id,
  currency: "EUR",
  categories: [
    {
      id: "mains",
      name: "Mains",
      items: [
        {
          id: "pad-thai",
          name: "Pad Thai",
          price: eur(1250),
          available: true,
          optionGroups: [
            { id: "spice", name: "Spice", min: 1, max: 1, options: [{ id: "mild", name: "Mild", priceDelta: eur(0) }, { id: "hot", name: "Hot", priceDelta: eur(50) }] },
          ],
        },
        { id: "spring-rolls", name: "Spring Rolls", price: eur(600), available: true, optionGroups: [] },
      ],
    },
  ],
  combos: [],
};

export const COURIER = { id: "c-sam", name: "Sam", city: "berlin", vehicle: "bicycle", ratePerKm: eur(120) } as const;

/** The platform's operator, who adds restaurants. */
const ADMIN: Principal = { role: "admin", id: "operator" };

function check(what: string, answer: { ok: boolean; error?: { code: string } }): void {
  if (!answer.ok) throw new Error(`${what} failed: ${answer.error?.code}`);
}

/**
 * Builds Tiffin from `@tiffin/core` alone: in-memory stores behind the UnitOfWork port, the in-memory broker,
 * the simulated payment and payout providers, a kitchen that accepts at once, and a Worker running the relay,
 * consumers, saga and timers. Swap any of these for a real adapter (Postgres, a cloud broker, your PSP) by passing
 * another implementation of the same port.
 */
export async function startEmbeddedPlatform(): Promise<EmbeddedPlatform> {
  const uow = new InMemoryUnitOfWork();
  const broker = new InMemoryBroker();
  const providerStore = new InMemoryProviderStore();
  const payments = new SimulatedPaymentGateway({}, { store: providerStore });
  const payouts = new SimulatedPayoutGateway({}, { store: providerStore });
  const deps = { uow, clock: systemClock, ids: new RandomIds(), ledger: payments, deadLetters: broker };

  const tiffin = createTiffin(deps);
  // The catalog and the courier are set up through the same use cases the HTTP API calls.
  const { id: courierId, ...profile } = COURIER;
  const courier: Principal = { role: "courier", id: courierId };
  check("create restaurant", await tiffin.send(ADMIN, { type: "CreateRestaurant", restaurant: RESTAURANT }));
  check("publish menu", await tiffin.send(ADMIN, { type: "PublishMenu", restaurantId: RESTAURANT.id, menu: MENU }));
  check("courier joins", await tiffin.send(courier, { type: "JoinAsCourier", profile }));
  check("courier position", await tiffin.send(courier, { type: "UpdateCourierLocation", lat: 52.521, lng: 13.406 }));
  check("courier on shift", await tiffin.send(courier, { type: "SetCourierAvailability", available: true }));
  const worker = new Worker(
    {
      ...deps,
      publisher: broker,
      subscriber: broker,
      kitchen: new AutoKitchen({ prepTimeMs: 0 }),
      paymentSaga: new PaymentSagaRunner({}, { uow, payments, payouts }),
    },
    // Short polls: in memory they cost nothing, and the example finishes in well under a second.
    { relay: { intervalMs: 5 }, timers: { intervalMs: 5 } },
  );
  await worker.start();
  return {
    tiffin,
    worker,
    stop: async () => {
      await worker.stop();
      await broker.close();
    },
  };
}
