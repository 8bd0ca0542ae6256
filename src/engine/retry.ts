import type { JsonObject } from '../model/json.js';
import type { ParsableLong, RetryPolicy } from '../model/retry-policy.js';
import { withRetryDefaults } from '../model/retry-policy.js';

export type RetryKind = 'error' | 'platform' | 'timeout';

/**
 * Reads a retry-policy field: a number, or text naming workflow params (`"$n"`, `"${n}"`) resolved against the
 * run's params. Text that does not resolve to a whole number falls back to Maestro's default for the field.
 */
export function resolveNumber(value: ParsableLong, fallback: number, params: JsonObject): number {
  if (typeof value === 'number') return value;
  const text = substituteParams(value, params).trim();
  return /^-?\d+$/.test(text) ? Number(text) : fallback;
}

/** Replaces `$name` / `${name}` with the param's value (and `$$` with `$`). Unknown names stay as written. */
export function substituteParams(text: string, params: JsonObject): string {
  return text.replace(
    /\$\$|\$\{([a-zA-Z][-_./a-zA-Z0-9]*)\}|\$([a-zA-Z][_a-zA-Z0-9]*)/g,
    (match, braced?: string, bare?: string) => {
      if (match === '$$') return '$';
      const value = params[(braced ?? bare)!];
      if (value === undefined) return match;
      return typeof value === 'string' ? value : JSON.stringify(value);
    },
  );
}

export interface RetryPlan {
  readonly limit: number;
  /** Delay before retry number `retriesSoFar + 1`, in ms. */
  delayMs(retriesSoFar: number): number;
}

/** The limit and backoff of one retry category (REFERENCE §4.4): fixed, or min(backoff × exponent^n, cap). */
export function retryPlan(policy: RetryPolicy | undefined, kind: RetryKind, params: JsonObject): RetryPlan {
  const resolved = withRetryDefaults(policy);
  const defaults = withRetryDefaults(undefined);
  const limitField = `${kind}_retry_limit` as const;
  const limit = resolveNumber(resolved[limitField], defaults[limitField] as number, params);
  const b = resolved.backoff;
  const d = defaults.backoff;
  const base = resolveNumber(
    b[`${kind}_retry_backoff_in_secs`],
    d[`${kind}_retry_backoff_in_secs`] as number,
    params,
  );
  const exponent = resolveNumber(b[`${kind}_retry_exponent`], d[`${kind}_retry_exponent`] as number, params);
  const cap = resolveNumber(
    b[`${kind}_retry_limit_in_secs`],
    d[`${kind}_retry_limit_in_secs`] as number,
    params,
  );
  return {
    limit,
    delayMs: (n) => 1000 * (b.type === 'FIXED_BACKOFF' ? base : Math.min(base * exponent ** n, cap)),
  };
}
