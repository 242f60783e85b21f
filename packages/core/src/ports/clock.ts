/** The current time. Production uses the system clock; tests move a fake one. */
export interface Clock {
  now(): Date;
}

/** Unique ids for new orders, offers and messages. Implementations must never repeat an id. */
export interface IdGenerator {
  next(): string;
}
