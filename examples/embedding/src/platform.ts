import {
  AutoKitchen,
  type Courier,
  type MenuDocument,
  PaymentSagaRunner,
  type Restaurant,
  SYSTEM_PRINCIPAL,
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

export const RESTAURANT: Restaurant = {
  id: "r-noodle-bar",
  name: "Noodle Bar",
  cuisine: "thai",
  city: "berlin",
  location: { lat: 52.52, lng: 13.405 },
  open: true,
};

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

export const COURIER: Courier = {
  id: "c-sam",
  name: "Sam",
  city: "berlin",
  speedKmh: 18,
  ratePerKm: eur(120),
  available: true,
  position: { lat: 52.521, lng: 13.406 },
  positionAt: null,
};

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

  await uow.run(SYSTEM_PRINCIPAL, async (tx) => {
    await tx.catalog.upsert(RESTAURANT, MENU);
    await tx.couriers.upsert({ ...COURIER, positionAt: systemClock.now().toISOString() });
  });

  const tiffin = createTiffin(deps);
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
