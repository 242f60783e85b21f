export { type Exchange, ResponseConformance } from "./response-conformance.js";
export { type FuzzRequest, type FuzzTarget, encode, fuzzAnswerProblem, fuzzRequest } from "../openapi/fuzz-requests.js";
