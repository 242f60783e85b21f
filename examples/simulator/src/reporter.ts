/** Terminal output: every line carries the seconds since the run started, so the pace of an order is visible. */
export class Reporter {
  private readonly started: number;
  private readonly warned = new Set<string>();

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  line(message: string): void {
    const seconds = ((this.now() - this.started) / 1000).toFixed(1).padStart(6);
    this.write(`[${seconds}s] ${message}`);
  }

  lines(messages: readonly string[]): void {
    for (const message of messages) this.line(message);
  }

  /** A problem worth one line; the same message is printed once, so a flapping poll does not flood the output. */
  warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.line(`! ${message}`);
  }

  /** Raw output (the summary table). */
  print(text: string): void {
    this.write(text);
  }
}
