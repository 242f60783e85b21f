import { databasePositionsHarness, describeCourierPositionsContract } from "../positions/courier-positions.contract.js";
import { describeCatalogContract } from "./catalog.contract.js";
import { describeCouriersContract } from "./couriers.contract.js";
import { ALL_STORE_FEATURES, type StoreFeatures, type StoreHarnessFactory } from "./harness.js";
import { describeIdempotencyStoreContract } from "./idempotency-store.contract.js";
import { describeInboxContract } from "./inbox.contract.js";
import { describeOfferStoreContract } from "./offer-store.contract.js";
import { describeOrderStoreContract } from "./order-store.contract.js";
import { describeOutboxContract } from "./outbox.contract.js";
import { describeReadModelsContract } from "./read-models.contract.js";
import { describeSagaStoreContract } from "./saga-store.contract.js";
import { describeTimersContract } from "./timers.contract.js";
import { describeVisibilityContract } from "./visibility.contract.js";

export {
  ALL_STORE_FEATURES,
  type StoreFeatures,
  type StoreHarness,
  type StoreHarnessFactory,
  asSystem,
  eventually,
  takeOutbox,
  uid,
} from "./harness.js";
export * from "./samples.js";
export {
  describeCatalogContract,
  describeCouriersContract,
  describeIdempotencyStoreContract,
  describeInboxContract,
  describeOfferStoreContract,
  describeOrderStoreContract,
  describeOutboxContract,
  describeReadModelsContract,
  describeSagaStoreContract,
  describeTimersContract,
  describeVisibilityContract,
};

/** Runs every store contract against one adapter; `features` defaults to everything supported. */
export function describeStoreContracts(name: string, factory: StoreHarnessFactory, features: Partial<StoreFeatures> = {}): void {
  const declared: StoreFeatures = { ...ALL_STORE_FEATURES, ...features };
  describeOrderStoreContract(name, factory);
  describeOutboxContract(name, factory);
  describeInboxContract(name, factory);
  describeSagaStoreContract(name, factory);
  describeIdempotencyStoreContract(name, factory);
  describeOfferStoreContract(name, factory);
  describeTimersContract(name, factory);
  describeReadModelsContract(name, factory);
  describeCatalogContract(name, factory, declared);
  describeCouriersContract(name, factory);
  describeCourierPositionsContract(`${name} (positions in the database)`, databasePositionsHarness(factory));
  describeVisibilityContract(name, factory, declared);
}
