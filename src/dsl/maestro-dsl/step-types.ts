/**
 * Step types a `- job:` may name directly, in the spelling Maestro's JSON uses. Maestro's leaf types plus
 * Baton's own (Shell, Sql, Container). Any other `type` names a job template (`sub_type`).
 */
const LEAF_STEP_TYPES = [
  'NoOp',
  'Sleep',
  'Titus',
  'Notebook',
  'Kubernetes',
  'Http',
  'Join',
  'Shell',
  'Sql',
  'Container',
];

/** Kinds that have their own list-item key in the DSL (`- foreach:` ...), never a `type:` of `- job:`. */
const CONTAINER_KINDS = ['foreach', 'while', 'subworkflow', 'template'];

const BY_LOWER = new Map(LEAF_STEP_TYPES.map((t) => [t.toLowerCase(), t]));

/** The canonical spelling of a known step type (`http` → `Http`), or undefined for a job-template name. */
export function knownStepType(type: string): string | undefined {
  return BY_LOWER.get(type.trim().toLowerCase());
}

/** True for `type: foreach` and friends, which a `- job:` cannot be. */
export function isContainerKind(type: string): boolean {
  return CONTAINER_KINDS.includes(type.trim().toLowerCase());
}
