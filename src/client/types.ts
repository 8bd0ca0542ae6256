// Request and response bodies of Baton's /api/v3, in Maestro's shapes (snake_case, times in epoch milliseconds,
// users as plain names). Only the fields clients read are typed closely; every object may carry more.

/** Any JSON value, as the API sends it. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonMap = { readonly [key: string]: Json };

export type WorkflowInstanceStatus =
  'CREATED' | 'IN_PROGRESS' | 'PAUSED' | 'TIMED_OUT' | 'STOPPED' | 'FAILED' | 'SUCCEEDED';

/** The statuses a run does not leave. */
export const TERMINAL_INSTANCE_STATUSES: ReadonlySet<string> = new Set([
  'TIMED_OUT',
  'STOPPED',
  'FAILED',
  'SUCCEEDED',
]);

/** A step's status name (Maestro's StepInstance.Status), e.g. RUNNING, SUCCEEDED, USER_FAILED. */
export type StepStatus = string;

import type { ApiErrorBody, ApiErrorDetail } from '../model/api-error.js';
export type { ApiErrorBody, ApiErrorDetail };

export interface TimelineEvent {
  readonly timestamp: number;
  readonly type: 'LOG' | 'STATUS' | 'ACTION' | 'DETAILS' | 'MILESTONE';
  readonly level?: string;
  readonly message?: string;
  readonly status?: string;
  readonly action?: string;
  readonly author?: string;
}

/** POST /workflows and /workflows/yaml. */
export interface WorkflowCreateResponse {
  readonly workflow_definition: WorkflowDefinition;
  /** Problems that do not stop the version from being stored. */
  readonly warnings?: readonly ApiErrorDetail[];
}

/** GET /workflows/{id}/versions/{version}. */
export interface WorkflowDefinition {
  readonly properties_snapshot: JsonMap;
  readonly metadata: {
    readonly workflow_id: string;
    readonly workflow_version_id: number;
    readonly create_time: number;
    readonly version_author: string;
  };
  readonly workflow: JsonMap & { readonly id: string };
  readonly is_active: boolean;
  readonly is_latest: boolean;
  readonly is_default: boolean;
  readonly modify_time: number;
}

/** Which version: a number, or `active`, `latest`, `default`. */
export type VersionSelector = number | 'active' | 'latest' | 'default';

/** POST /workflows/{id}/versions/{version}/actions/start (Maestro's WorkflowStartRequest). */
export interface WorkflowStartRequest {
  readonly initiator?: { readonly type: 'MANUAL' };
  /** Starts with the same request id start one instance only (the second answer is DUPLICATED). */
  readonly request_id?: string;
  /** Param definitions by name, e.g. `{"foo": {"type": "STRING", "value": "bar"}}`. */
  readonly run_params?: { readonly [name: string]: ParamDefinition };
}

export interface ParamDefinition {
  readonly type?: string;
  readonly value?: Json;
  readonly expression?: string;
}

/** The answer to a start or an instance restart. */
export interface WorkflowStartResponse {
  readonly workflow_id: string;
  readonly workflow_version_id: number;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly workflow_uuid: string;
  readonly status: 'CREATED' | 'DUPLICATED' | 'STOPPED' | 'INTERNAL_ERROR';
  readonly timeline_event: TimelineEvent;
}

/** POST /workflows/{id}/instances/{iid}/actions/restart. */
export interface WorkflowInstanceRestartRequest {
  readonly restart_policy?: 'RESTART_FROM_INCOMPLETE' | 'RESTART_FROM_BEGINNING';
  readonly run_params?: { readonly [name: string]: ParamDefinition };
  readonly request_id?: string;
}

/** POST /workflows/{id}/instances/{iid}/steps/{sid}/actions/restart. */
export interface StepInstanceRestartRequest {
  readonly restart_policy: 'RESTART_FROM_INCOMPLETE' | 'RESTART_FROM_BEGINNING';
  readonly step_run_params?: { readonly [name: string]: ParamDefinition };
  readonly request_id?: string;
}

export interface StepInstanceRestartResponse {
  readonly workflow_id: string;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly step_id: string;
  readonly step_attempt_id?: number;
  readonly status?: string;
  readonly timeline_event?: TimelineEvent;
}

/** `[ordinal, start_time, end_time]` of one step in a run's overview (ordinal: 1-based, definition order). */
export type StepOverviewEntry = readonly [number, number | null, number | null];

export interface WorkflowRuntimeOverview {
  readonly total_step_count: number;
  readonly step_overview: {
    readonly [status: string]: { readonly cnt: number; readonly steps?: readonly StepOverviewEntry[] };
  };
  readonly run_status?: WorkflowInstanceStatus;
}

/** GET /workflows/{id}/instances/{iid}[/runs/{run}]: one run (Maestro's WorkflowInstance). */
export interface WorkflowInstance {
  readonly workflow_id: string;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly workflow_uuid: string;
  readonly workflow_version_id: number;
  readonly status: WorkflowInstanceStatus;
  readonly runtime_workflow?: JsonMap & { readonly steps?: readonly JsonMap[] };
  readonly runtime_dag?: { readonly [stepId: string]: JsonMap };
  readonly params?: JsonMap;
  readonly initiator?: JsonMap;
  readonly create_time: number;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly modify_time: number;
  readonly runtime_overview?: WorkflowRuntimeOverview;
  readonly timeline?: readonly TimelineEvent[];
  /** Why the run ended as it did, when it says (Baton's addition). */
  readonly status_message?: string;
}

export interface StepRuntimeState {
  readonly status: StepStatus;
  readonly create_time?: number;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly modify_time?: number;
}

/** GET .../runs/{run}/steps/{sid}/attempts/{n|latest}, and each element of GET .../runs/{run}/steps. */
export interface StepInstance {
  readonly workflow_id: string;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly step_id: string;
  readonly step_attempt_id: number;
  readonly step_instance_id?: number;
  readonly runtime_state: StepRuntimeState;
  readonly params?: JsonMap;
  readonly status_message?: string;
}

export type InstanceAction = 'stop' | 'kill' | 'unblock';
export type StepAction = 'stop' | 'kill' | 'skip' | 'bypass';

/** PUT .../instances/{iid}[/runs/{run}]/actions/{stop|kill|unblock}. */
export interface WorkflowInstanceActionResponse {
  readonly workflow_id: string;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly workflow_instance_status: WorkflowInstanceStatus;
  readonly info: string;
  readonly timeline_event?: TimelineEvent;
  readonly completed: boolean;
}

/** PUT .../instances/{iid}/steps/{sid}/actions/{stop|kill|skip}. */
export interface StepInstanceActionResponse {
  readonly workflow_id: string;
  readonly workflow_instance_id: number;
  readonly workflow_run_id: number;
  readonly step_id: string;
  readonly step_attempt_id?: number;
  readonly step_runtime_state?: StepRuntimeState;
  readonly timeline_event?: TimelineEvent;
}

/** PUT .../versions/{v}/actions/activate and .../actions/deactivate (version 0 for a deactivation). */
export interface WorkflowActionResponse {
  readonly workflow_id: string;
  readonly workflow_version_id: number;
  readonly timeline_event?: TimelineEvent;
}

/** A page of a listing. Read the next (older) page with `first` and `cursor = page_info.end_cursor`. */
export interface PaginationResult<T> {
  readonly page_info: {
    readonly start_cursor: string | null;
    readonly end_cursor: string | null;
    readonly has_previous_page: boolean;
    readonly has_next_page: boolean;
    readonly start_index?: number | null;
  };
  readonly total_count: number;
  readonly elements: readonly T[];
}

export interface PageQuery {
  readonly first?: number;
  readonly last?: number;
  readonly cursor?: string;
}

export interface InstanceListQuery extends PageQuery {
  /** Only instances whose latest run has one of these statuses. */
  readonly status?: readonly WorkflowInstanceStatus[];
}

/** An element of GET /workflows: one workflow with its version ids (0 = none). */
export interface WorkflowSummary {
  readonly workflow_id: string;
  readonly latest_version_id: number;
  readonly active_version_id?: number;
  /** How many instances were ever started (the newest instance's id). */
  readonly latest_instance_id?: number;
  readonly owner?: string;
  readonly create_time?: number;
  readonly modify_time?: number;
  /** When the workflow's time triggers fire next (epoch ms); absent when none will. */
  readonly next_fire_time?: number;
  readonly [key: string]: Json | undefined;
}

/** POST /signals (Maestro's SignalCreateRequest): every other key is the signal's payload. */
export interface SignalCreateRequest {
  readonly name: string;
  readonly params?: { readonly [key: string]: string | number };
  readonly request_id?: string;
  /** When the signal happened, epoch ms (default: when it is stored). */
  readonly request_time?: number;
  readonly [payloadKey: string]: Json | undefined;
}

/** GET /workflows/{id}/signal-triggers: the subscriptions of the active version's signal triggers. */
export interface SignalTriggerSubscriptions {
  readonly workflow_id: string;
  readonly signal_triggers: readonly {
    readonly trigger_uuid: string;
    readonly definition: JsonMap;
    /** Per signal name: the last seq id consumed (or the latest when it subscribed). */
    readonly checkpoints: { readonly [name: string]: number };
  }[];
}

/** A stored signal instance (Maestro's SignalInstance). */
export interface SignalInstance {
  readonly name: string;
  readonly seq_id?: number;
  readonly instance_id?: string;
  readonly params?: JsonMap;
  readonly payload?: JsonMap;
  readonly request_time?: number;
  readonly create_time?: number;
  /** In the answer to POST /signals: CREATED, or DUPLICATED for an instance id announced before. */
  readonly status?: 'CREATED' | 'DUPLICATED';
}

/** GET /signals/{name}/instances/{seq|latest}/lineage: what produced a signal instance, what it started and released. */
export interface SignalLineage {
  readonly name: string;
  readonly seq_id: number;
  readonly instance_id: string;
  readonly create_time: number;
  readonly signal_source?: JsonMap;
  readonly started_runs: readonly JsonMap[];
  readonly released_steps: readonly JsonMap[];
}

export type TokenRole = string;

/** POST /tokens. */
export interface TokenCreateRequest {
  readonly name: string;
  readonly role: TokenRole;
}

/** The answer to POST /tokens: the secret is shown this once. */
export interface TokenCreateResponse {
  readonly token: string;
  readonly id: string;
  readonly name: string;
  readonly role: TokenRole;
}

/** An element of GET /tokens (never the secret). */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: TokenRole;
  readonly create_time?: number;
  readonly [key: string]: Json | undefined;
}

/** A message a signal source could not turn into a signal (GET /signals/sources/{source}/parked). */
export interface ParkedSourceMessage {
  readonly id: number;
  readonly source: string;
  readonly message_id?: string;
  readonly body: string;
  readonly encoding: 'utf8' | 'base64';
  readonly reason: string;
  readonly details: { readonly [key: string]: Json };
  readonly parked_at: number;
}

export interface ParkedSourcePage {
  readonly page_info: PaginationResult<ParkedSourceMessage>['page_info'];
  readonly elements: readonly ParkedSourceMessage[];
}
