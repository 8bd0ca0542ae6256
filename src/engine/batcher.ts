/**
 * Group commit: jobs submitted while a transaction is running are applied together in the next one, so many runs
 * that are ready at once cost one commit (ARCHITECTURE "Performance principles"). If a batch fails, its jobs are
 * retried one by one, so one bad job cannot fail the others.
 */
export interface BatchJob<T, R> {
  readonly job: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** `apply` answers with one result per job, in order (nothing, for jobs that have no answer). */
export class Batcher<T, R = void> {
  private queue: BatchJob<T, R>[] = [];
  /** The drain loop while it runs: it holds the batch being applied, which `queue` no longer shows. */
  private draining: Promise<void> | undefined;

  constructor(
    private readonly apply: (jobs: readonly T[]) => Promise<readonly R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(job: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    // The loop starts after the code that submitted this job has run on: jobs submitted together (a burst of fires
    // handed over in one loop) go in one batch, not a batch of the first and one of the rest.
    this.draining = Promise.resolve()
      .then(() => this.drain())
      .finally(() => {
        this.draining = undefined;
        // a job submitted after the loop saw an empty queue but before this callback ran
        if (this.queue.length > 0) this.kick();
      });
  }

  /** Jobs waiting for the next batch (the batch being applied is not counted: see `idle`). */
  get pending(): number {
    return this.queue.length;
  }

  /** True while a batch is being applied or jobs wait for one. */
  get busy(): boolean {
    return this.draining !== undefined;
  }

  /** Resolves once every job submitted so far, and any submitted meanwhile, has been applied (or has failed). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.apply(batch.map((b) => b.job));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else await this.oneByOne(batch);
      }
    }
  }

  private async oneByOne(batch: readonly BatchJob<T, R>[]): Promise<void> {
    for (const b of batch) {
      try {
        const [result] = await this.apply([b.job]);
        b.resolve(result!);
      } catch (error) {
        b.reject(error);
      }
    }
  }
}
