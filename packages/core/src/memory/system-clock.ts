import { randomUUID } from "node:crypto";
import type { Clock, IdGenerator } from "../ports/clock.js";

/** The real clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A shared SystemClock. */
export const systemClock: Clock = new SystemClock();

/** Random UUID v4 ids (collision-free in practice, and unguessable). */
export class RandomIds implements IdGenerator {
  next(): string {
    return randomUUID();
  }
}
