/** An expected failure: a value with a stable string code, never thrown. */
export interface DomainError<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/** The outcome of an operation that can fail in an expected way. */
export type Result<T, E = DomainError> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });

export const err = <E>(error: E): Err<E> => ({ ok: false, error });

export const domainError = <C extends string>(
  code: C,
  message: string,
  details?: Record<string, unknown>,
): DomainError<C> => (details === undefined ? { code, message } : { code, message, details });
