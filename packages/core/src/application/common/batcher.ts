/** What a batch run gives back for one item: its value or its own error. */
export type ItemOutcome<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

export interface BatcherOptions {
  /** Runs at most this many batches at once; items that arrive meanwhile wait and go together in the next one. */
  readonly concurrency: number;
  /** At most this many items per batch. */
  readonly maxBatch: number;
}

/**
 * Coalesces concurrent calls into batches without a timer: an item submitted while a slot is free runs at once,
 * alone, and items submitted while every slot is busy wait for the next free slot and run together. Under no load nothing waits; under load a batch forms in the time one run takes,
 * so a per-run cost (a commit, a claim) is paid once per batch. `run` answers one outcome per item, in order; a run
 * that throws fails every item of its batch with that error.
 */
export class Batcher<I, O> {
  private readonly queue: { readonly item: I; readonly resolve: (value: O) => void; readonly reject: (error: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly ItemOutcome<O>[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      void this.runBatch(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async runBatch(batch: { readonly item: I; readonly resolve: (value: O) => void; readonly reject: (error: unknown) => void }[]): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) entry.reject(new Error("batch run gave no outcome for an item"));
        else if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
