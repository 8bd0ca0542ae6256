import { ValidationError } from '../model/errors.js';
import {
  MAX_PAGE_SIZE,
  type Breakpoint,
  type BreakpointFilter,
  type Page,
  type PageRequest,
} from './port.js';

/** A page request as both adapters run it: which way the index is read, from where, and how many rows to fetch. */
export interface PageRead<P> {
  /** True: in the listing's order, after `from`; false: against it, before `from`. */
  readonly forward: boolean;
  readonly from: P | undefined;
  /** The page's size. */
  readonly size: number;
  /** Rows to fetch: one more than the page, to learn whether more lie beyond it. */
  readonly fetch: number;
}

/** Checks a page request (a count of 1 to MAX_PAGE_SIZE, one way only) and says how to read it. */
export function pageRead<P>(page: PageRequest<P>): PageRead<P> {
  const forward = 'first' in page;
  const size = forward ? page.first : page.last;
  const field = forward ? 'first' : 'last';
  if (forward && 'last' in page)
    throw pageError('a page is read with `first` or with `last`, not both', field);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    throw pageError(
      `\`${field}\` must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${String(size)}`,
      field,
    );
  return { forward, from: forward ? page.after : page.before, size, fetch: size + 1 };
}

/** The page from rows read as `read` says (in reading order, up to `fetch` of them), in the listing's order. */
export function toPage<R>(rows: readonly R[], read: PageRead<unknown>): Page<R> {
  const hasMore = rows.length > read.size;
  const kept = hasMore ? rows.slice(0, read.size) : [...rows];
  return { rows: read.forward ? kept : kept.reverse(), hasMore };
}

/** Merges per-status pages (each in reading order) into one, in reading order; `key` orders rows in the listing. */
export function mergeRead<R>(
  lists: readonly (readonly R[])[],
  read: PageRead<unknown>,
  key: (r: R) => number,
): R[] {
  const sign = read.forward ? 1 : -1;
  return lists
    .flat()
    .sort((a, b) => sign * (key(a) - key(b)))
    .slice(0, read.fetch);
}

function pageError(message: string, field: string): ValidationError {
  return new ValidationError(message, [{ code: 'invalid_page', path: [field], message }]);
}

/** A position no version, instance or run id reaches (ids are positive and below 2^53). */
export const END_ID = Number.MAX_SAFE_INTEGER;

/**
 * Where a breakpoint page starts reading (exclusive): after the position, or before the first key the filter
 * allows, whichever comes later. -1 sorts before every id (0 means "any").
 */
export function breakpointStart(filter: BreakpointFilter, after: Breakpoint | undefined): Breakpoint {
  const first: Breakpoint = {
    workflow_id: filter.workflow_id ?? '',
    step_id: filter.step_id ?? '',
    instance_id: -1,
    run_id: -1,
    attempt: -1,
  };
  if (after === undefined) return first;
  const key = (b: Breakpoint) => [b.workflow_id, b.step_id, b.instance_id, b.run_id, b.attempt] as const;
  const [a, f] = [key(after), key(first)];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === f[i]) continue;
    return a[i]! < f[i]! ? first : after;
  }
  return after;
}

/** A deletion batch's size: how many runs (or versions) one transaction removes at most. */
export function checkBatchLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    const message = `a deletion batch takes 1 to 10000 runs, not ${String(limit)}`;
    throw new ValidationError(message, [{ code: 'invalid_limit', path: ['limit'], message }]);
  }
}
