export { TiffinProcess, waitFor, type HttpAnswer } from "./tiffin-process.js";
export { TestOidcIssuer } from "./oidc-issuer.js";
export { describeOrderFlow, type OrderFlowBroker } from "./order-flow-suite.js";
