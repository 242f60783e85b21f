import type { FastifyReply } from "fastify";

/** Answers an RFC 9457 problem with a stable code, as the API does. */
export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, instance: string): FastifyReply {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ type: `https://tiffin.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`, title: TITLES[status] ?? "Error", status, detail, code, instance });
}

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
