export { type Exchange, ResponseConformance } from "./response-conformance.js";
