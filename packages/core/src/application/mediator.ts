import type { Principal } from "../ports/principal.js";
import type { UseCaseContext } from "./common/use-case-context.js";

/** A use case: the caller's principal and a message in, a Result out. Infrastructure faults are thrown. */
export type UseCase<I extends object> = (ctx: UseCaseContext, principal: Principal, input: I) => Promise<unknown>;

// `never` input so that every concrete use case is assignable (parameters are contravariant).
type AnyUseCase = (ctx: UseCaseContext, principal: Principal, input: never) => Promise<unknown>;

/** A table of use cases by message type. */
export type HandlerTable = Readonly<Record<string, AnyUseCase>>;

type InputOf<F> = F extends (ctx: UseCaseContext, principal: Principal, input: infer I) => Promise<unknown> ? I : never;

/** Every message a table accepts: `{ type }` plus that use case's input. */
export type MessageOf<H extends HandlerTable> = { [K in keyof H & string]: { readonly type: K } & InputOf<H[K]> }[keyof H & string];

/** What the use case for message `M` answers. */
export type AnswerOf<H extends HandlerTable, M extends { readonly type: string }> = Awaited<ReturnType<H[M["type"]]>>;

/**
 * Routes typed messages to their use cases: one table, one place to log. Deliberately no pipeline of
 * behaviours: authorization lives in each use case (it depends on the message), transactions in the stores.
 */
export class Mediator<H extends HandlerTable> {
  constructor(
    private readonly ctx: UseCaseContext,
    private readonly handlers: H,
  ) {}

  /** Runs the message's use case; `ctx` replaces the mediator's context for this call (e.g. a recording unit of work). */
  async dispatch<M extends MessageOf<H>>(principal: Principal, message: M, ctx: UseCaseContext = this.ctx): Promise<AnswerOf<H, M>> {
    const handler = this.handlers[message.type] as ((c: UseCaseContext, p: Principal, m: M) => Promise<AnswerOf<H, M>>) | undefined;
    if (handler === undefined) throw new TypeError(`no use case handles "${String(message.type)}"`);
    // A thrown fault is logged once, by whoever handles it (the HTTP error handler, a consumer), not here too.
    return handler(ctx, principal, message);
  }
}
