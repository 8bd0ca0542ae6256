import type { Properties } from '../model/definition.js';
import type { Issue } from '../model/issue.js';
import { isJsonObject } from '../model/json.js';
import { DEFAULT_LIMITS, type Limits } from '../model/limits.js';
import { normalizeProperties } from './normalize-request.js';
import { checkProperties } from './validate/index.js';
import { Report } from './validate/report.js';
import { propertiesSchema } from './wire-schema.js';
import { fromZodIssues } from './wire-issues.js';

/**
 * A properties change as Maestro's `POST /workflows/{id}/properties` takes it: a flat delta of properties (each key
 * given replaces the current value), checked by the same schema and rules as a definition's properties. Tags change
 * through their own endpoints, so `tags` here is an issue, as in Maestro.
 */
export function readPropertiesChange(
  raw: unknown,
  limits: Limits = DEFAULT_LIMITS,
): { readonly changes?: Properties; readonly issues: readonly Issue[] } {
  if (isJsonObject(raw) && raw['tags'] !== undefined) {
    return {
      issues: [
        {
          code: 'INVALID_VALUE',
          path: ['tags'],
          message: 'tags change through POST and DELETE .../properties/tag',
        },
      ],
    };
  }
  const parsed = propertiesSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues) };
  const changes = normalizeProperties(isJsonObject(raw) ? raw : {});
  const report = new Report(limits);
  checkProperties(report, changes, false);
  const issues = report.issues
    .filter((i) => i.severity !== 'warning')
    .map((i) => ({ ...i, path: i.path.slice(1) })); // relative to the body, which is the properties
  return issues.length > 0 ? { issues } : { changes, issues: [] };
}
