import type { Clock } from "../ports/clock.js";

/** A clock that moves only when a test sets or advances it. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-01T12:00:00.000Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (ms < 0) throw new Error("a FakeClock only moves forward");
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}
