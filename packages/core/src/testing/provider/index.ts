export * from "./provider-store-contract.js";
