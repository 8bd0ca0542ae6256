/**
 * Stable codes for problems the Maestro YAML DSL converter finds. Only DSL-level problems live here (syntax that
 * the DSL itself defines); structural rules of the JSON model (required ids, id syntax, cycles) are the model
 * validator's job, which reaches back into the YAML through `locate`.
 */
export const DslIssueCode = {
  yamlSyntax: 'dsl.yaml-syntax',
  tooDeep: 'dsl.too-deep',
  notAMap: 'dsl.not-a-map',
  notAList: 'dsl.not-a-list',
  notAString: 'dsl.not-a-string',
  notABoolean: 'dsl.not-a-boolean',
  rootMissingWorkflow: 'dsl.root.missing-workflow',
  rootDuplicateWorkflow: 'dsl.root.duplicate-workflow',
  rootUnknownKey: 'dsl.root.unknown-key',
  workflowNoJobs: 'dsl.workflow.no-jobs',
  badKey: 'dsl.bad-key',
  conflictingAlias: 'dsl.conflicting-alias',
  jobUnknownKind: 'dsl.job.unknown-kind',
  jobBadType: 'dsl.job.bad-type',
  jobTypeVersionIgnored: 'dsl.job.type-version-without-template',
  foreachNoLoopParams: 'dsl.foreach.no-loop-params',
  rangeBad: 'dsl.foreach.bad-range',
  paramBadKey: 'dsl.param.bad-key',
  paramBadType: 'dsl.param.bad-type',
  paramBadMode: 'dsl.param.bad-mode',
  paramNullValue: 'dsl.param.null-value',
  paramTypeMismatch: 'dsl.param.type-mismatch',
  paramBadValue: 'dsl.param.bad-value',
  paramDuplicate: 'dsl.param.duplicate',
  transitionInvalid: 'dsl.transition.invalid',
  transitionOtherwiseNotLast: 'dsl.transition.otherwise-not-last',
  transitionDuplicateSuccessor: 'dsl.transition.duplicate-successor',
  dagInvalid: 'dsl.dag.invalid',
  dagUnknownJob: 'dsl.dag.unknown-job',
} as const;

export type DslIssueCode = (typeof DslIssueCode)[keyof typeof DslIssueCode];
