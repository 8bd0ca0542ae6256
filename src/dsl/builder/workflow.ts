/**
 * The `workflow` factory: workflow fields, versioned properties and the top-level step list, producing Maestro's
 * create request (REFERENCE §2.1–2.3, §7.1, §7.2).
 */
import type { StepList } from './graph-check.js';
import { compact, frozenCopy, mapValues } from './json-util.js';
import type { StepNode } from './nodes.js';
import { type Params, copyParams } from './params.js';
import type {
  Criticality,
  JsonValue,
  ParsableLong,
  RunStrategyRule,
  SignalOperator,
  TagListJson,
} from './vocabulary.js';

type TriggerTiming = {
  /** IANA zone; Maestro's default is UTC. */
  readonly timezone?: string;
  /** Spreads fire times by a deterministic random delay up to this bound, e.g. `"30s"`. */
  readonly fuzzy_max_delay?: ParsableLong;
};

/** A schedule (REFERENCE §7.1): a cron (Unix 5-field or Quartz) or one of the predefined names. */
export type TimeTriggerJson =
  | ({ readonly type: 'CRON'; readonly cron: string } & TriggerTiming)
  | ({
      readonly type: 'PREDEFINED';
      readonly expression: '@hourly' | '@daily' | '@weekly' | '@monthly' | '@yearly';
    } & TriggerTiming);

/** Starts the workflow when all named signals have arrived with matching params (REFERENCE §7.2). */
export type SignalTriggerJson = {
  readonly definitions: {
    readonly [signal: string]: {
      readonly match_params?: {
        readonly [param: string]: { readonly value: string | number; readonly operator: SignalOperator };
      };
      /** Param names matched for equality across all signals of the trigger, position by position. */
      readonly join_keys?: readonly string[];
    };
  };
  readonly condition?: string;
  readonly dedup_expr?: string;
  readonly params?: Params;
};

export type OwnerJson = string | { readonly name: string; readonly [attribute: string]: JsonValue };

/** A rule alone, or a rule with its concurrency (only PARALLEL may run more than one instance at a time). */
export type RunStrategyJson =
  RunStrategyRule | { readonly rule: RunStrategyRule; readonly workflow_concurrency?: number };

/** Properties are versioned apart from the workflow; the first version of a workflow must name an owner. */
export type PropertiesJson = {
  readonly owner?: OwnerJson;
  readonly access_control?: { readonly [key: string]: JsonValue };
  readonly run_strategy?: RunStrategyJson;
  /** Max leaf steps of this workflow running at once, across all its instances. */
  readonly step_concurrency?: number;
  readonly description?: string;
  readonly tags?: TagListJson;
  /** Written as given (emails, pagerduties, slack_config, tct, ...); Baton's alerting reads it. */
  readonly alerting?: { readonly [key: string]: JsonValue };
  readonly alerting_disabled?: boolean;
  readonly signal_trigger_disabled?: boolean;
  readonly time_trigger_disabled?: boolean;
};

export type WorkflowJson = {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags?: TagListJson;
  readonly timeout?: ParsableLong;
  readonly criticality?: Criticality;
  readonly instance_step_concurrency?: number;
  readonly time_triggers?: readonly TimeTriggerJson[];
  readonly signal_triggers?: readonly SignalTriggerJson[];
  readonly params?: Params;
  readonly steps: readonly StepNode[];
};

/** The body of `POST /api/v3/workflows`. */
export type WorkflowRequestJson = {
  readonly properties?: PropertiesJson;
  readonly workflow: WorkflowJson;
  readonly is_active?: boolean;
};

export type WorkflowOptions<S extends readonly StepNode[]> = Omit<WorkflowJson, 'id' | 'steps'> & {
  readonly properties?: PropertiesJson;
  /** Activate this version on create (Maestro's default is true). */
  readonly is_active?: boolean;
  readonly steps: StepList<S>;
};

/** A built workflow. `JSON.stringify(wf)` gives the create request; so do `toJSON()` and `toRequest()`. */
export interface BuiltWorkflow {
  readonly id: string;
  toJSON(): WorkflowRequestJson;
  toRequest(): WorkflowRequestJson;
}

/**
 * Defines a workflow:
 * ```ts
 * workflow('daily-sales', {
 *   properties: { owner: 'data-eng', run_strategy: 'SEQUENTIAL' },
 *   steps: [step('extract', 'Shell', { next: ['load'] }), step('load', 'Sql')],
 * });
 * ```
 * Fails to compile when a `next` names a step that is not in `steps`, or an id is used twice.
 */
export function workflow<const S extends readonly StepNode[]>(
  id: string,
  options: WorkflowOptions<S>,
): BuiltWorkflow {
  const definition = compact({
    id,
    name: options.name,
    description: options.description,
    tags: frozenCopy(options.tags),
    timeout: options.timeout,
    criticality: options.criticality,
    instance_step_concurrency: options.instance_step_concurrency,
    time_triggers: frozenCopy(options.time_triggers),
    signal_triggers:
      options.signal_triggers === undefined ? undefined : signalTriggers(options.signal_triggers),
    params: options.params === undefined ? undefined : copyParams(options.params),
    steps: frozenCopy(options.steps as readonly StepNode[]),
  });
  const request: WorkflowRequestJson = compact({
    properties: options.properties === undefined ? undefined : properties(options.properties),
    workflow: definition,
    is_active: options.is_active,
  });
  return Object.freeze({ id, toJSON: () => request, toRequest: () => request });
}

function properties(props: PropertiesJson): PropertiesJson {
  // Picked key by key, so a stray key in a spread object never reaches the request.
  return compact({
    owner: frozenCopy(props.owner),
    access_control: frozenCopy(props.access_control),
    run_strategy: frozenCopy(props.run_strategy),
    step_concurrency: props.step_concurrency,
    description: props.description,
    tags: frozenCopy(props.tags),
    alerting: frozenCopy(props.alerting),
    alerting_disabled: props.alerting_disabled,
    signal_trigger_disabled: props.signal_trigger_disabled,
    time_trigger_disabled: props.time_trigger_disabled,
  });
}

function signalTriggers(triggers: readonly SignalTriggerJson[]): readonly SignalTriggerJson[] {
  return Object.freeze(
    triggers.map((t) =>
      compact({
        definitions: mapValues(t.definitions, (d) => frozenCopy(d)),
        condition: t.condition,
        dedup_expr: t.dedup_expr,
        params: t.params === undefined ? undefined : copyParams(t.params),
      }),
    ),
  );
}
