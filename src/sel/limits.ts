/**
 * Sandbox limits. Names follow Maestro's `maestro.sel` settings; `timeMs` is Baton's wall-clock budget per
 * evaluation (Maestro's `timeout-millis`).
 */
export interface SelLimits {
  /** Evaluation nesting depth, counting array-initialiser elements like Maestro's operand stack. */
  readonly stack: number;
  /** Iterations of one loop statement execution; reaching it fails. */
  readonly loop: number;
  /** Size of a new array; reaching it fails. */
  readonly array: number;
  /** Characters of source; reaching it fails (checked before parsing). */
  readonly length: number;
  /** AST node visits per evaluation. */
  readonly visit: number;
  /** Estimated bytes allocated per evaluation: 32 per object, plus 2 per string character. */
  readonly memory: number;
  /** Wall-clock milliseconds per evaluation. */
  readonly timeMs: number;
}

export const SEL_LIMIT_PRESETS = {
  prod: {
    stack: 128,
    loop: 25001,
    array: 25001,
    length: 10000,
    visit: 100_000_000,
    memory: 100_000_000,
    timeMs: 120_000,
  },
  pev: { stack: 10, loop: 10, array: 10, length: 10000, visit: 1000, memory: 1_048_576, timeMs: 120_000 },
  jail: { stack: 50, loop: 100, array: 50, length: 256, visit: 100_000, memory: 1_048_576, timeMs: 5000 },
  thread: { stack: 10, loop: 10, array: 10, length: 16, visit: 100, memory: 1_048_576, timeMs: 120_000 },
  engine_test: {
    stack: 128,
    loop: 10000,
    array: 10000,
    length: 10000,
    visit: 100_000_000,
    memory: 10_000_000,
    timeMs: 120_000,
  },
} as const satisfies Record<string, SelLimits>;
export type SelLimitPreset = keyof typeof SEL_LIMIT_PRESETS;

export const DEFAULT_SEL_LIMITS: SelLimits = SEL_LIMIT_PRESETS.prod;

/**
 * The parser guards its own recursion with this depth, whatever the limits say, so a pathological source can
 * never overflow the JS stack while parsing.
 */
export const MAX_PARSE_DEPTH = 400;

/** Fills in defaults; numbers that are not positive integers fall back to the default for safety. */
export function resolveLimits(limits?: Partial<SelLimits> | SelLimitPreset): SelLimits {
  if (limits === undefined) return DEFAULT_SEL_LIMITS;
  const given = typeof limits === 'string' ? SEL_LIMIT_PRESETS[limits] : limits;
  const pick = (key: keyof SelLimits): number => {
    const v = given[key];
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : DEFAULT_SEL_LIMITS[key];
  };
  return {
    stack: pick('stack'),
    loop: pick('loop'),
    array: pick('array'),
    length: pick('length'),
    visit: pick('visit'),
    memory: pick('memory'),
    timeMs: pick('timeMs'),
  };
}

/**
 * The names limits have in JSON (`baton eval --limits`, Maestro's conformance data): snake_case like the rest of
 * Baton's JSON, with Maestro's `timeout_ms` for the time limit. `time_ms` and the TypeScript name `timeMs` are
 * accepted too.
 */
export const SEL_LIMIT_JSON_NAMES: Readonly<Record<string, keyof SelLimits>> = {
  stack: 'stack',
  loop: 'loop',
  array: 'array',
  length: 'length',
  visit: 'visit',
  memory: 'memory',
  timeout_ms: 'timeMs',
  time_ms: 'timeMs',
  timeMs: 'timeMs',
};

/** The names to show people: one per limit. */
export const SEL_LIMIT_NAMES = ['stack', 'loop', 'array', 'length', 'visit', 'memory', 'timeout_ms'] as const;

/**
 * Limits from a JSON object of `SEL_LIMIT_JSON_NAMES`, or the problems with it: an unknown name, a value that is
 * not a positive whole number, one limit given under two names.
 */
export function selLimitsFromJson(json: Readonly<Record<string, unknown>>): {
  limits: Partial<SelLimits>;
  problems: string[];
} {
  const limits: Partial<Record<keyof SelLimits, number>> = {};
  const problems: string[] = [];
  const seen = new Map<keyof SelLimits, string>();
  for (const [name, v] of Object.entries(json)) {
    const key = Object.hasOwn(SEL_LIMIT_JSON_NAMES, name) ? SEL_LIMIT_JSON_NAMES[name] : undefined;
    if (key === undefined) {
      problems.push(`unknown limit '${name}' (known: ${SEL_LIMIT_NAMES.join(', ')})`);
      continue;
    }
    const other = seen.get(key);
    if (other !== undefined) problems.push(`'${name}' and '${other}' are the same limit; give it once`);
    seen.set(key, name);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0)
      problems.push(`'${name}' must be a positive whole number, not ${JSON.stringify(v)}`);
    else limits[key] = v;
  }
  return { limits, problems };
}
