import type { ParamMap } from '../model/param.js';
import {
  defaultWorkflowParams,
  paramsJsonSize,
  type EvaluatedParams,
  type ParamContext,
  type ParamEvaluator,
  type SourcedParam,
  type SourcedParamMap,
} from '../params/index.js';

/**
 * The SEL system params of a new run (RUN_TS, the target and derived dates: ~20 expressions, most of a start's
 * CPU) depend only on RUN_TS (the clock unless overridden), the initiator's zones, and whatever a definition or a
 * start set them to. A trigger storm fires thousands of runs at the same scheduled time, so they are evaluated
 * once per distinct set of those inputs and the rest of a run's params are evaluated over them.
 *
 * Only when every one of them is either its system expression or a plain literal (a LONG, a short string without
 * `${…}`): an override that is an expression, or that interpolates, may read the run's own params, and then the
 * run's params are evaluated whole as before. Results are the same either way (test/engine/system-params-memo.test.ts).
 */
export interface SystemParamsMemo {
  /** The run's evaluated params, or undefined when they must be evaluated whole. */
  evaluate(merged: SourcedParamMap, context: ParamContext, now: number): EvaluatedParams | undefined;
}

/** Names and expressions of the system params that are SEL (the others are literal values or reserved). */
const SEL_DEFAULTS: readonly (readonly [string, string])[] = Object.entries(defaultWorkflowParams()).flatMap(
  ([name, d]) => (d.expression === undefined ? [] : [[name, d.expression] as const]),
);
const SEL_NAMES: ReadonlySet<string> = new Set(SEL_DEFAULTS.map(([n]) => n));
/** The ones that read the clock (RUN_TS): while they are the system's, the time is an input too. */
const CLOCK_READERS: ReadonlySet<string> = new Set(
  SEL_DEFAULTS.filter(([, e]) => e.includes('currentTimeMillis')).map(([n]) => n),
);
/** What the system expressions read from the instance (WORKFLOW_CRON_TIMEZONE). */
const INSTANCE_INPUTS = ['INITIATOR_TIMEZONE', 'FIRST_TIME_TRIGGER_TIMEZONE'] as const;
const MAX_LITERAL_CHARS = 200;
const MAX_ENTRIES = 256;

interface Group {
  readonly params: EvaluatedParams;
  readonly jsonChars: number;
}

export function createSystemParamsMemo(evaluator: ParamEvaluator, paramsJsonChars: number): SystemParamsMemo {
  const groups = new Map<string, Group>();

  const groupOf = (key: string, merged: SourcedParamMap, context: ParamContext): Group | undefined => {
    const hit = groups.get(key);
    if (hit) return hit;
    const own: Record<string, SourcedParam> = {};
    for (const name of SEL_NAMES) own[name] = merged[name]!;
    let params: EvaluatedParams;
    try {
      params = evaluator.evaluate({ params: own as ParamMap, context });
    } catch {
      return undefined; // a bad override: the whole evaluation reports it with everything else
    }
    const group = { params, jsonChars: paramsJsonSize(params) };
    if (groups.size >= MAX_ENTRIES) groups.clear();
    groups.set(key, group);
    return group;
  };

  return {
    evaluate(merged, context, now) {
      const key = keyOf(merged, context, now);
      if (key === undefined) return undefined;
      const group = groupOf(key, merged, context);
      if (!group) return undefined;
      const rest: Record<string, SourcedParam> = {};
      for (const [name, def] of Object.entries(merged)) if (!SEL_NAMES.has(name)) rest[name] = def;
      let others: EvaluatedParams;
      try {
        others = evaluator.evaluate({ params: rest as ParamMap, outer: group.params, context });
      } catch {
        return undefined;
      }
      // The size limit is on the whole: near it, the whole evaluation decides (and says so).
      if (group.jsonChars + paramsJsonSize(others) >= paramsJsonChars) return undefined;
      const out = new Map();
      for (const name of Object.keys(merged)) {
        const p = group.params.get(name) ?? others.get(name);
        if (p !== undefined) out.set(name, p);
      }
      return out;
    },
  };
}

/** What the system params' values depend on, or undefined when one of them may read more than that. */
function keyOf(merged: SourcedParamMap, context: ParamContext, now: number): string | undefined {
  const parts: string[] = [];
  for (const [name, expression] of SEL_DEFAULTS) {
    const d = merged[name];
    if (d === undefined) return undefined;
    const head = `${d.type}|${d.mode ?? ''}|${d.internal_mode ?? ''}|${d.source}|`;
    if (d.expression !== undefined) {
      if (d.expression !== expression) return undefined;
      parts.push(CLOCK_READERS.has(name) ? `${head}@${now}` : head);
    } else if (isPlainLiteral(d.value)) parts.push(`${head}=${JSON.stringify(d.value)}`);
    else return undefined;
  }
  const instance = context.instance ?? {};
  for (const input of INSTANCE_INPUTS) parts.push(JSON.stringify(instance[input] ?? null));
  return parts.join('\u0000');
}

function isPlainLiteral(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length <= MAX_LITERAL_CHARS && !value.includes('$');
}
