import { describe, expect, it } from "vitest";
import type { ApiError } from "../api/problem.js";
import { type StreamEvent, followEventStream } from "./event-stream.js";

/** One scripted answer of the server: SSE text then the connection closes, a problem, or a network failure. */
type Answer = { events: string } | { status: number; problem: { code: string; detail: string } } | { networkError: string };

/**
 * A server following the SSE rules for this test: it records what each connection asked with (Authorization and
 * Last-Event-ID) and answers from the script in order.
 */
function scriptedServer(script: Answer[]) {
  const requests: { authorization: string | null; lastEventId: string | null }[] = [];
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    requests.push({ authorization: headers.get("authorization"), lastEventId: headers.get("last-event-id") });
    const answer = script.shift();
    if (answer === undefined) throw new Error("the script ran out");
    if ("networkError" in answer) throw new TypeError(answer.networkError);
    if ("status" in answer) return new Response(JSON.stringify(answer.problem), { status: answer.status, headers: { "content-type": "application/problem+json" } });
    return new Response(answer.events, { status: 200, headers: { "content-type": "text/event-stream" } });
  }) as typeof fetch;
  return { fetchFn, requests };
}

const event = (id: string, status: string) => `id: ${id}\nevent: order\ndata: {"status":"${status}"}\n\n`;

function follow(fetchFn: typeof fetch, token: () => string | null) {
  const events: StreamEvent[] = [];
  const states: string[] = [];
  const errors: ApiError[] = [];
  let latest = "";
  const ended = new Promise<void>((resolve) => {
    followEventStream({
      url: "/v1/orders/o-1/stream",
      token,
      fetchFn,
      minRetryMs: 1,
      maxRetryMs: 2,
      onEvent: (e) => {
        events.push(e);
        latest = (JSON.parse(e.data) as { status: string }).status;
      },
      onState: (state) => {
        states.push(state);
        if (state === "ended") resolve();
      },
      onError: (e) => errors.push(e),
      isFinished: () => latest === "delivered",
    });
  });
  return { events, states, errors, ended };
}

describe("following an event stream", () => {
  it("resumes after a dropped connection with Last-Event-ID, so no event is lost or repeated", async () => {
    const server = scriptedServer([
      { events: `retry: 1\n\n${event("1", "placed")}${event("2", "confirmed")}` },
      { events: `${event("3", "preparing")}${event("3.1", "preparing")}` },
      { events: event("4", "delivered") },
    ]);
    const tokens = ["t-1", "t-2", "t-3"];
    const run = follow(server.fetchFn, () => tokens.shift() ?? null);
    await run.ended;
    expect(run.events.map((e) => e.id)).toEqual(["1", "2", "3", "3.1", "4"]);
    expect(server.requests).toEqual([
      { authorization: "Bearer t-1", lastEventId: null },
      { authorization: "Bearer t-2", lastEventId: "2" },
      { authorization: "Bearer t-3", lastEventId: "3.1" },
    ]);
    expect(run.states).toEqual(["open", "reconnecting", "open", "reconnecting", "open", "ended"]);
  });

  it("retries a network failure and a 503 with the last id it saw", async () => {
    const server = scriptedServer([
      { events: event("1", "placed") },
      { networkError: "Failed to fetch" },
      { status: 503, problem: { code: "DATABASE_UNAVAILABLE", detail: "try again" } },
      { events: event("2", "delivered") },
    ]);
    const run = follow(server.fetchFn, () => "t");
    await run.ended;
    expect(server.requests.map((r) => r.lastEventId)).toEqual([null, "1", "1", "1"]);
    expect(run.events.map((e) => e.id)).toEqual(["1", "2"]);
  });

  it("stops on a refusal and hands on the problem's code and detail", async () => {
    const server = scriptedServer([{ status: 404, problem: { code: "ORDER_NOT_FOUND", detail: "order o-1 not found" } }]);
    const run = follow(server.fetchFn, () => "t");
    await run.ended;
    expect(run.errors.map((e) => [e.status, e.code, e.detail])).toEqual([[404, "ORDER_NOT_FOUND", "order o-1 not found"]]);
    expect(server.requests).toHaveLength(1);
  });

  it("sends no Authorization header without a token, and never puts the token in the URL", async () => {
    const urls: string[] = [];
    const server = scriptedServer([{ events: event("1", "delivered") }]);
    const fetchFn = ((url: string, init?: RequestInit) => {
      urls.push(String(url));
      return server.fetchFn(url, init);
    }) as typeof fetch;
    await follow(fetchFn, () => null).ended;
    expect(server.requests[0]?.authorization).toBeNull();
    expect(urls).toEqual(["/v1/orders/o-1/stream"]);
  });
});
