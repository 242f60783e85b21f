import type { IdGenerator } from "../ports/clock.js";

/** Deterministic ids `<prefix>-1`, `<prefix>-2`, … for tests that assert on ids. */
export class SequentialIds implements IdGenerator {
  private count = 0;

  constructor(private readonly prefix = "id") {}

  next(): string {
    this.count += 1;
    return `${this.prefix}-${this.count}`;
  }
}
