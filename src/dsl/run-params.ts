import type { Issue, JsonPath } from '../model/issue.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import type { ParamMap } from '../model/param.js';
import { normalizeParamMap } from './normalize-param.js';
import { checkParamMap } from './validate/params.js';
import { Report } from './validate/report.js';
import { paramMapSchema } from './wire-schema.js';
import { fromZodIssues } from './wire-issues.js';

/**
 * Reads run params given as Maestro's param definitions (`{"x": {"value": 5, "type": "LONG"}}`, the `run_params` of
 * a start or restart request) with the same schema and rules as a definition's params, every issue under `path`.
 */
export function readRunParams(
  raw: unknown,
  path: JsonPath,
  limits: Limits = DEFAULT_LIMITS,
): { readonly params?: ParamMap; readonly issues: readonly Issue[] } {
  if (raw === undefined || raw === null) return { issues: [] };
  const parsed = paramMapSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { issues: fromZodIssues(parsed.error.issues).map((i) => ({ ...i, path: [...path, ...i.path] })) };
  }
  // What a caller may give is the value (or expression), type and mode; how the engine treats a param internally
  // (internal_mode) and its validator stay the definition's.
  const params = Object.fromEntries(
    Object.entries(normalizeParamMap(raw) ?? {}).map(([name, def]) => {
      const { internal_mode: _internal, validator: _validator, ...rest } = def;
      return [name, rest];
    }),
  );
  const report = new Report(limits);
  checkParamMap(report, params, path);
  const issues = report.issues.filter((i) => i.severity !== 'warning');
  return issues.length > 0 ? { issues } : { params, issues: [] };
}
