/**
 * Group commit: jobs submitted while a transaction is running are applied together in the next one, so many runs
 * that are ready at once cost one commit (ARCHITECTURE "Performance principles"). If a batch fails, its jobs are
 * retried one by one, so one bad job cannot fail the others.
 */
export interface BatchJob<T> {
  readonly job: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class Batcher<T> {
  private queue: BatchJob<T>[] = [];
  private running = false;

  constructor(
    private readonly apply: (jobs: readonly T[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {}

  submit(job: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.apply(batch.map((b) => b.job));
          for (const b of batch) b.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else await this.oneByOne(batch);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async oneByOne(batch: readonly BatchJob<T>[]): Promise<void> {
    for (const b of batch) {
      try {
        await this.apply([b.job]);
        b.resolve();
      } catch (error) {
        b.reject(error);
      }
    }
  }
}
