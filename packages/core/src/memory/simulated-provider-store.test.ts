import { describeProviderStoreContract } from "../testing/provider/index.js";
import { InMemoryProviderStore } from "./simulated-provider-store.js";

describeProviderStoreContract("in-memory", async () => ({ store: new InMemoryProviderStore() }), { durable: false });
