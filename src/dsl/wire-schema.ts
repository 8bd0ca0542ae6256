import { z } from 'zod';
import {
  BackoffType,
  Criticality,
  FailureMode,
  InternalParamMode,
  ParamMode,
  ParamType,
  RunStrategyRule,
  SignalOperator,
  StepType,
  TagNamespace,
  TimeTriggerType,
} from '../model/enums.js';

/**
 * The wire format of Maestro's create request as zod schemas: the one description of its structure, used both to
 * check structure (types, enums, unknown keys) and to publish the JSON Schema (`baton schema`). Rules that need
 * context (id patterns, limits, references, cycles) live in the validator, which reads the normalized model.
 */

/** An enum accepted in any case; written as a flag-free pattern so JSON Schema editors understand it too. */
function anyCase(values: readonly string[], what: string) {
  const alternatives = values.map((v) =>
    [...v]
      .map((c) =>
        c.toLowerCase() === c.toUpperCase() ? escapeRegex(c) : `[${c.toLowerCase()}${c.toUpperCase()}]`,
      )
      .join(''),
  );
  return z
    .string({ error: `${what} must be one of ${values.join(', ')} (any case)` })
    .regex(new RegExp(`^(?:${alternatives.join('|')})$`), {
      error: `${what} must be one of ${values.join(', ')} (any case)`,
    })
    .meta({ description: `${what}: one of ${values.join(', ')}, in any case`, examples: [...values] });
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}

const text = (what: string) => z.string({ error: `${what} must be text` });
const integer = (what: string) =>
  z.number({ error: `${what} must be a whole number` }).int({ error: `${what} must be a whole number` });
const flag = (what: string) => z.boolean({ error: `${what} must be true or false` });
/** A number of seconds, or text that names params or a duration (`"20 minutes"`, `"${timeout}"`). */
const parsableLong = (what: string) =>
  z.union([z.number(), z.string()], { error: `${what} must be a number or text (a duration or a $param)` });

export const tagSchema = z
  .union(
    [
      z.string(),
      z.looseObject({
        name: text('tag name'),
        namespace: anyCase(Object.values(TagNamespace), 'tag namespace').optional(),
        permit: z.unknown().optional(),
      }),
    ],
    { error: 'a tag is a name or an object with a name' },
  )
  .meta({ id: 'Tag' });
export const tagListSchema = z.array(tagSchema, { error: 'tags must be a list' }).meta({ id: 'TagList' });

export const paramDefinitionSchema = z
  .looseObject({
    type: anyCase(Object.values(ParamType), 'param type'),
    value: z
      .unknown()
      .optional()
      .meta({ description: 'the literal; for MAP params, a map of param definitions' }),
    expression: text('expression').optional().meta({ description: 'a SEL expression (instead of value)' }),
    mode: anyCase(Object.values(ParamMode), 'param mode').optional(),
    internal_mode: anyCase(Object.values(InternalParamMode), 'internal mode').optional(),
    validator: text('validator').optional(),
    tags: tagListSchema.optional(),
  })
  .meta({ id: 'ParamDefinition', description: 'a param: a type and either a value or an expression' });
export const paramMapSchema = z
  .record(z.string(), paramDefinitionSchema, { error: 'params must be a map of name to param definition' })
  .meta({ id: 'ParamMap' });

const backoffSchema = z.strictObject({
  type: anyCase(Object.values(BackoffType), 'backoff type').optional(),
  error_retry_backoff_in_secs: parsableLong('error_retry_backoff_in_secs').optional(),
  error_retry_exponent: parsableLong('error_retry_exponent').optional(),
  error_retry_limit_in_secs: parsableLong('error_retry_limit_in_secs').optional(),
  platform_retry_backoff_in_secs: parsableLong('platform_retry_backoff_in_secs').optional(),
  platform_retry_exponent: parsableLong('platform_retry_exponent').optional(),
  platform_retry_limit_in_secs: parsableLong('platform_retry_limit_in_secs').optional(),
  timeout_retry_backoff_in_secs: parsableLong('timeout_retry_backoff_in_secs').optional(),
  timeout_retry_exponent: parsableLong('timeout_retry_exponent').optional(),
  timeout_retry_limit_in_secs: parsableLong('timeout_retry_limit_in_secs').optional(),
});

export const retryPolicySchema = z
  .strictObject({
    error_retry_limit: parsableLong('error_retry_limit').optional(),
    platform_retry_limit: parsableLong('platform_retry_limit').optional(),
    timeout_retry_limit: parsableLong('timeout_retry_limit').optional(),
    backoff: backoffSchema.optional(),
  })
  .meta({ id: 'RetryPolicy' });

const operatorSchema = z.enum(Object.values(SignalOperator) as [string, ...string[]], {
  error: `operator must be one of ${Object.values(SignalOperator).join(' ')}`,
});

const signalDependencySchema = z
  .strictObject({
    name: text('signal name'),
    match_params: z
      .record(z.string(), z.strictObject({ param: paramDefinitionSchema, operator: operatorSchema }))
      .optional(),
  })
  .meta({ id: 'SignalDependency' });

const signalOutputSchema = z
  .strictObject({
    name: text('signal name'),
    params: paramMapSchema.optional(),
    payload: paramMapSchema.optional(),
  })
  .meta({ id: 'SignalOutput' });

const transitionSchema = z
  .strictObject({
    successors: z
      .record(
        z.string(),
        z.union([z.string(), z.boolean()], { error: 'a successor condition must be SEL text or a boolean' }),
      )
      .optional()
      .meta({ description: 'successor step id → SEL condition ("true" for always)' }),
    predecessors: z.array(z.string()).optional(),
  })
  .meta({ id: 'Transition' });

const stepCommon = {
  id: text('step id'),
  name: text('name').optional(),
  description: text('description').optional(),
  transition: transitionSchema.optional(),
  failure_mode: anyCase(Object.values(FailureMode), 'failure mode').optional(),
  tags: tagListSchema.optional(),
  timeout: parsableLong('timeout').optional(),
  params: paramMapSchema.optional(),
  signal_dependencies: z.array(signalDependencySchema).optional(),
  signal_outputs: z.array(signalOutputSchema).optional(),
};

export const typedStepSchema = z.strictObject({
  ...stepCommon,
  type: anyCase(Object.values(StepType), 'step type')
    .optional()
    .meta({ description: 'the step type; may be left out when sub_type names a job template that fixes it' }),
  sub_type: text('sub_type').optional(),
  sub_type_version: text('sub_type_version').optional(),
  retry_policy: retryPolicySchema.optional(),
});

export const stepSchema: z.ZodType = z
  .strictObject({
    step: typedStepSchema.optional(),
    get foreach() {
      return z
        .strictObject({
          ...stepCommon,
          concurrency: integer('concurrency').optional(),
          strict_ordering: flag('strict_ordering').optional(),
          steps: z.array(stepSchema, { error: 'steps must be a list' }),
        })
        .optional();
    },
    get while() {
      return z
        .strictObject({
          ...stepCommon,
          condition: text('condition'),
          steps: z.array(stepSchema, { error: 'steps must be a list' }),
        })
        .optional();
    },
    subworkflow: z
      .strictObject({
        ...stepCommon,
        sync: flag('sync').optional(),
        explicit_params: flag('explicit_params').optional(),
      })
      .optional(),
    template: z.strictObject({ ...stepCommon, sub_type: text('sub_type').optional() }).optional(),
  })
  .refine((wrapper) => Object.keys(wrapper as object).length === 1, {
    error:
      'a step is an object with exactly one key, its kind: step, foreach, while, subworkflow or template',
  })
  .meta({
    id: 'Step',
    description: 'a step: an object with exactly one key, its kind',
    minProperties: 1,
    maxProperties: 1,
  });

const timeTriggerSchema = z
  .strictObject({
    type: anyCase(Object.values(TimeTriggerType), 'time trigger type'),
    cron: text('cron').optional(),
    expression: text('expression').optional(),
    interval: z.unknown().optional(),
    start: z.unknown().optional(),
    timezone: text('timezone').optional(),
    fuzzy_max_delay: z.union([z.string(), z.number()]).optional(),
  })
  .meta({ id: 'TimeTrigger' });

const signalTriggerSchema = z
  .strictObject({
    definitions: z.record(
      z.string(),
      z.strictObject({
        match_params: z
          .record(
            z.string(),
            z.strictObject({
              value: z.union([z.string(), z.number()], { error: 'a match value must be text or a number' }),
              operator: operatorSchema,
            }),
          )
          .optional(),
        join_keys: z.array(z.string()).optional(),
      }),
    ),
    condition: text('condition').optional(),
    dedup_expr: text('dedup_expr').optional(),
    params: paramMapSchema.optional(),
  })
  .meta({ id: 'SignalTrigger' });

export const workflowSchema = z.strictObject({
  id: text('workflow id'),
  name: text('name').optional(),
  description: text('description').optional(),
  tags: tagListSchema.optional(),
  timeout: parsableLong('timeout').optional(),
  time_triggers: z.array(timeTriggerSchema).optional(),
  signal_triggers: z.array(signalTriggerSchema).optional(),
  criticality: anyCase(Object.values(Criticality), 'criticality').optional(),
  instance_step_concurrency: integer('instance_step_concurrency').nullable().optional(),
  params: paramMapSchema.optional(),
  steps: z.array(stepSchema, { error: 'steps must be a list' }),
});

const userSchema = z.union([z.string(), z.looseObject({ name: text('owner name') })], {
  error: 'owner must be a name or an object with a name',
});

export const propertiesSchema = z.strictObject({
  owner: userSchema.optional(),
  access_control: z.unknown().optional(),
  run_strategy: z
    .union(
      [
        anyCase(Object.values(RunStrategyRule), 'run strategy'),
        integer('run strategy'),
        z.strictObject({
          rule: anyCase(Object.values(RunStrategyRule), 'run strategy rule'),
          workflow_concurrency: integer('workflow_concurrency').optional(),
        }),
      ],
      {
        error: `run_strategy must be a rule (${Object.values(RunStrategyRule).join(', ')}), a number, or {rule, workflow_concurrency}`,
      },
    )
    .optional(),
  step_concurrency: integer('step_concurrency').optional(),
  alerting: z.looseObject({}).optional(),
  alerting_disabled: flag('alerting_disabled').optional(),
  signal_trigger_disabled: flag('signal_trigger_disabled').optional(),
  time_trigger_disabled: flag('time_trigger_disabled').optional(),
  description: text('description').optional(),
  tags: tagListSchema.optional(),
});

export const createRequestSchema = z
  .looseObject({
    properties: propertiesSchema.optional(),
    workflow: workflowSchema,
    is_active: flag('is_active').optional(),
    git_info: z.looseObject({}).optional(),
  })
  .meta({
    title: 'Baton / Maestro workflow create request',
    description: 'POST /api/v3/workflows body. Keys other than these are kept as metadata.',
  });

export const jobTemplateRequestSchema = z.looseObject({
  owner: userSchema.optional(),
  git_info: z.looseObject({}).optional(),
  definition: z.strictObject({
    job_type: text('job_type'),
    step_type: anyCase(Object.values(StepType), 'step type'),
    version: text('version'),
    description: text('description').optional(),
    tags: tagListSchema.optional(),
    inherit_from: z.looseObject({}).optional(),
    params: paramMapSchema.optional(),
  }),
});
