import type { BackoffType } from './enums.js';

/** A field that is a number or text naming workflow params (`"$retries"`, `"${n}"`), resolved at run time. */
export type ParsableLong = number | string;

export interface Backoff {
  readonly type?: BackoffType;
  readonly error_retry_backoff_in_secs?: ParsableLong;
  readonly error_retry_exponent?: ParsableLong;
  readonly error_retry_limit_in_secs?: ParsableLong;
  readonly platform_retry_backoff_in_secs?: ParsableLong;
  readonly platform_retry_exponent?: ParsableLong;
  readonly platform_retry_limit_in_secs?: ParsableLong;
  readonly timeout_retry_backoff_in_secs?: ParsableLong;
  readonly timeout_retry_exponent?: ParsableLong;
  readonly timeout_retry_limit_in_secs?: ParsableLong;
}

export interface RetryPolicy {
  readonly error_retry_limit?: ParsableLong;
  readonly platform_retry_limit?: ParsableLong;
  readonly timeout_retry_limit?: ParsableLong;
  readonly backoff?: Backoff;
}

export const BACKOFF_FIELDS = [
  'error_retry_backoff_in_secs',
  'error_retry_exponent',
  'error_retry_limit_in_secs',
  'platform_retry_backoff_in_secs',
  'platform_retry_exponent',
  'platform_retry_limit_in_secs',
  'timeout_retry_backoff_in_secs',
  'timeout_retry_exponent',
  'timeout_retry_limit_in_secs',
] as const satisfies readonly (keyof Backoff)[];

export const RETRY_LIMIT_FIELDS = [
  'error_retry_limit',
  'platform_retry_limit',
  'timeout_retry_limit',
] as const;

/** Maestro's defaults (`Defaults.java`), applied field by field to whatever a step leaves unset. */
export const DEFAULT_RETRY_POLICY = Object.freeze({
  error_retry_limit: 2,
  platform_retry_limit: 10,
  timeout_retry_limit: 0,
  backoff: Object.freeze({
    type: 'EXPONENTIAL_BACKOFF' as BackoffType,
    error_retry_backoff_in_secs: 60,
    error_retry_exponent: 2,
    error_retry_limit_in_secs: 600,
    platform_retry_backoff_in_secs: 60,
    platform_retry_exponent: 2,
    platform_retry_limit_in_secs: 3600,
    timeout_retry_backoff_in_secs: 60,
    timeout_retry_exponent: 2,
    timeout_retry_limit_in_secs: 3600,
  }),
});

export type ResolvedRetryPolicy = {
  readonly [K in (typeof RETRY_LIMIT_FIELDS)[number]]: ParsableLong;
} & {
  readonly backoff: { readonly type: BackoffType } & {
    readonly [K in (typeof BACKOFF_FIELDS)[number]]: ParsableLong;
  };
};

/** Fills unset fields from the defaults; a FIXED_BACKOFF policy keeps its exponents but they are not used. */
export function withRetryDefaults(policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  const d = DEFAULT_RETRY_POLICY;
  const b = policy?.backoff ?? {};
  const backoff = { type: b.type ?? d.backoff.type } as Record<string, unknown>;
  for (const field of BACKOFF_FIELDS) backoff[field] = b[field] ?? d.backoff[field];
  return {
    error_retry_limit: policy?.error_retry_limit ?? d.error_retry_limit,
    platform_retry_limit: policy?.platform_retry_limit ?? d.platform_retry_limit,
    timeout_retry_limit: policy?.timeout_retry_limit ?? d.timeout_retry_limit,
    backoff: backoff as ResolvedRetryPolicy['backoff'],
  };
}
