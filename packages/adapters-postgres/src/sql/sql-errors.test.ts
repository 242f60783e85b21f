import { OrderVersionConflictError } from "@tiffin/core";
import { describe, expect, it } from "vitest";
import { wrapSqlError } from "./sql-errors.js";

const serverError = (code: string, message = "boom") => Object.assign(new Error(message), { code, severity: "ERROR" });

describe("wrapSqlError", () => {
  it.each([
    ["40001", "INFRA_CONFLICT", true],
    ["40P01", "INFRA_CONFLICT", true],
    ["57014", "INFRA_TIMEOUT", true],
    ["08006", "INFRA_UNAVAILABLE", true],
    ["57P01", "INFRA_UNAVAILABLE", true],
    ["53300", "INFRA_UNAVAILABLE", true],
    ["23505", "INFRA_UNEXPECTED", false],
    ["42501", "INFRA_UNEXPECTED", false],
  ])("classifies SQLSTATE %s as %s (transient: %s), keeping the state and the cause", (sqlState, code, transient) => {
    const cause = serverError(sqlState);
    expect(wrapSqlError(cause)).toMatchObject({ name: "InfrastructureError", code, transient, sqlState, cause });
  });

  it("treats a refused or dropped connection as transient", () => {
    expect(wrapSqlError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toMatchObject({ code: "INFRA_UNAVAILABLE", transient: true });
    expect(wrapSqlError(new Error("Connection terminated unexpectedly"))).toMatchObject({ code: "INFRA_UNAVAILABLE", transient: true });
    expect(wrapSqlError(new Error("Client has encountered a connection error and is not queryable"))).toMatchObject({ code: "INFRA_UNAVAILABLE", transient: true });
  });

  it("passes the caller's own errors through unchanged", () => {
    const conflict = new OrderVersionConflictError("order-1", 3);
    const coded = Object.assign(new Error("exists"), { code: "ORDER_ALREADY_EXISTS" });
    expect(wrapSqlError(conflict)).toBe(conflict);
    expect(wrapSqlError(coded)).toBe(coded);
  });
});
