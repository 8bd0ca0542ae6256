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
  const params = normalizeParamMap(raw) ?? {};
  const report = new Report(limits);
  checkParamMap(report, params, path);
  const issues = report.issues.filter((i) => i.severity !== 'warning');
  return issues.length > 0 ? { issues } : { params, issues: [] };
}
