import type { PermitRequest } from '../store/port.js';
import type { DecideContext } from './decide.js';

/**
 * The permits one decision sees and takes: the transaction's view of each key (`DecideContext.permitState`, read
 * only) plus what this decision took itself, which it returns as `hold_permits` effects for the batch to count.
 */
export class PermitTally {
  /** Permits this decision took, by key. */
  private readonly taken = new Map<string, number>();

  constructor(private readonly state: DecideContext['permitState']) {}

  /**
   * Whether these permits are free now and nobody waits for them: an inline attempt holds its permits for no time
   * at all, so it only needs to know it would not overtake a limit or a line.
   */
  free(permits: readonly PermitRequest[]): boolean {
    return permits.every((p) => {
      const s = this.state(p.key);
      return s !== undefined && !s.waiting && s.held + (this.taken.get(p.key) ?? 0) < p.limit;
    });
  }

  /** Takes these permits if all are free; false means the attempt waits in line. */
  take(permits: readonly PermitRequest[]): boolean {
    if (!this.free(permits)) return false;
    for (const p of permits) this.taken.set(p.key, (this.taken.get(p.key) ?? 0) + 1);
    return true;
  }
}
