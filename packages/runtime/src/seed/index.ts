export * from "./demo-data.js";
