import { ApplicationErrorCode, CatalogErrorCode, KitchenErrorCode, MenuErrorCode, OfferActionErrorCode, OrderErrorCode, OrderingErrorCode } from "@tiffin/core";
import { describe, expect, it } from "vitest";
import { HttpProblem, problem } from "./problem.js";
import { PROBLEM_STATUS, STATUS_TITLES, statusForCode } from "./problem-status.js";

describe("problem mapping", () => {
  it("maps every documented problem code to its status", () => {
    expect({
      VALIDATION_FAILED: statusForCode("VALIDATION_FAILED"),
      UNAUTHENTICATED: statusForCode("UNAUTHENTICATED"),
      FORBIDDEN: statusForCode("FORBIDDEN"),
      NOT_FOUND: statusForCode("NOT_FOUND"),
      IDEMPOTENCY_KEY_MISSING: statusForCode("IDEMPOTENCY_KEY_MISSING"),
      IDEMPOTENCY_KEY_REUSED: statusForCode("IDEMPOTENCY_KEY_REUSED"),
      ORDER_INVALID_TRANSITION: statusForCode("ORDER_INVALID_TRANSITION"),
      OFFER_STALE: statusForCode("OFFER_STALE"),
      PAYLOAD_TOO_LARGE: statusForCode("PAYLOAD_TOO_LARGE"),
    }).toEqual({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      IDEMPOTENCY_KEY_MISSING: 400,
      IDEMPOTENCY_KEY_REUSED: 422,
      ORDER_INVALID_TRANSITION: 409,
      OFFER_STALE: 409,
      PAYLOAD_TOO_LARGE: 413,
    });
  });

  it("answers every code the application returns with a 4xx", () => {
    const codes = [ApplicationErrorCode, CatalogErrorCode, KitchenErrorCode, MenuErrorCode, OfferActionErrorCode, OrderErrorCode, OrderingErrorCode].flatMap((table) => Object.values(table));
    for (const code of codes) {
      const status = statusForCode(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(500);
    }
    expect(statusForCode("SOMETHING_NEW")).toBe(422);
    // Sold out is a conflict with the stock now (a retry later may succeed); a bad menu is the sender's to fix.
    expect([statusForCode("MENU_ITEM_SOLD_OUT"), statusForCode("MENU_INVALID")]).toEqual([409, 422]);
  });

  it("has a title for every status it uses", () => {
    for (const status of new Set(Object.values(PROBLEM_STATUS))) expect(STATUS_TITLES[status], String(status)).toBeDefined();
  });

  it("builds RFC 9457 documents with the stable code", () => {
    const error = HttpProblem.from({ code: "OFFER_STALE", message: "offer o-1 moved on", details: { offerId: "o-1" } });
    expect(problem(error.code, error.message, "/v1/offers/o-1/accept", error.details)).toEqual({
      type: "https://tiffin.dev/problems/offer-stale",
      title: "Conflict",
      status: 409,
      detail: "offer o-1 moved on",
      code: "OFFER_STALE",
      instance: "/v1/offers/o-1/accept",
      details: { offerId: "o-1" },
    });
  });
});
