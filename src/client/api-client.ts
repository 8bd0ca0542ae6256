import { createTransport, seg, type ApiClientDeps, type ApiClientOptions } from './http.js';
import type {
  InstanceAction,
  InstanceListQuery,
  PageQuery,
  PaginationResult,
  ParkedSourcePage,
  SignalCreateRequest,
  SignalInstance,
  SignalTriggerSubscriptions,
  SignalLineage,
  StepAction,
  StepInstance,
  StepInstanceActionResponse,
  StepInstanceRestartRequest,
  StepInstanceRestartResponse,
  TokenCreateRequest,
  TokenCreateResponse,
  TokenInfo,
  VersionSelector,
  WorkflowActionResponse,
  WorkflowCreateResponse,
  WorkflowDefinition,
  WorkflowInstance,
  WorkflowInstanceActionResponse,
  WorkflowInstanceRestartRequest,
  WorkflowStartRequest,
  WorkflowStartResponse,
  WorkflowSummary,
} from './types.js';

export type RunSelector = number | 'latest';

export interface StepLogOptions {
  /** Keep reading what the step writes until the attempt ends. */
  readonly follow?: boolean;
  /** Only the last this many lines. */
  readonly tail?: number;
  /** Which of the step's outputs (stdout unless said). */
  readonly stream?: 'stdout' | 'stderr';
  readonly signal?: AbortSignal;
}
export type AttemptSelector = number | 'latest';

/** The format a definition text is written in: JSON goes to POST /workflows, YAML to POST /workflows/yaml. */
export type DefinitionFormat = 'json' | 'yaml';

/**
 * A typed client of Baton's `/api/v3`, one method per endpoint. Every failure is an `ApiError` (the server answered
 * 4xx/5xx: its status and error body) or a `ServerUnreachableError` (no answer). Uses only `fetch`, so the CLI and
 * the web UI share it.
 *
 * @example
 * const api = createApiClient({ url: 'http://127.0.0.1:8080', user: 'me' });
 * const started = await api.start('demo.wf', 'active', { run_params: { n: { type: 'LONG', value: 3 } } });
 */
export function createApiClient(options: ApiClientOptions, deps: ApiClientDeps = {}) {
  const http = createTransport(options, deps);
  const wf = (id: string) => `/workflows/${seg(id)}`;
  const inst = (id: string, iid: number) => `${wf(id)}/instances/${seg(iid)}`;
  const run = (id: string, iid: number, r: RunSelector) => `${inst(id, iid)}/runs/${seg(r)}`;
  const attempt = (id: string, iid: number, r: RunSelector, step: string, n: AttemptSelector) =>
    `${run(id, iid, r)}/steps/${seg(step)}/attempts/${seg(n)}`;

  return {
    baseUrl: http.baseUrl,

    /** Stores a new version from a definition as written (JSON, YAML or Maestro's YAML DSL). */
    createWorkflow(text: string, format: DefinitionFormat): Promise<WorkflowCreateResponse> {
      const path = format === 'json' ? '/workflows' : '/workflows/yaml';
      const contentType = format === 'json' ? 'application/json' : 'application/yaml';
      return http.json('POST', path, { text: { body: text, contentType } });
    },

    getVersion(workflowId: string, version: VersionSelector): Promise<WorkflowDefinition> {
      return http.json('GET', `${wf(workflowId)}/versions/${seg(version)}`);
    },

    /** Starts one instance; the server runs it (this returns once it is stored, CREATED). */
    start(
      workflowId: string,
      version: VersionSelector,
      request: WorkflowStartRequest = {},
    ): Promise<WorkflowStartResponse> {
      return http.json('POST', `${wf(workflowId)}/versions/${seg(version)}/actions/start`, {
        json: { initiator: { type: 'MANUAL' }, ...request },
      });
    },

    /** Workflows by id, a page at a time (`first` and `cursor = end_cursor` for the next page). */
    async listWorkflows(query: PageQuery = {}): Promise<PaginationResult<WorkflowSummary>> {
      return http.json('GET', '/workflows', { query: { ...query } });
    },

    /** Instances of a workflow, newest first, each as its latest run. */
    listInstances(
      workflowId: string,
      query: InstanceListQuery = {},
    ): Promise<PaginationResult<WorkflowInstance>> {
      const { status, ...page } = query;
      return http.json('GET', `${wf(workflowId)}/instances`, {
        query: { ...page, ...(status && status.length > 0 ? { status: status.join(',') } : {}) },
      });
    },

    getInstance(workflowId: string, instanceId: number): Promise<WorkflowInstance> {
      return http.json('GET', inst(workflowId, instanceId));
    },

    getRun(workflowId: string, instanceId: number, runId: RunSelector): Promise<WorkflowInstance> {
      return http.json('GET', run(workflowId, instanceId, runId));
    },

    /** The latest attempt of each step of a run, in step order. */
    getRunSteps(workflowId: string, instanceId: number, runId: RunSelector): Promise<StepInstance[]> {
      return http.json('GET', `${run(workflowId, instanceId, runId)}/steps`);
    },

    getStepAttempt(
      workflowId: string,
      instanceId: number,
      runId: RunSelector,
      stepId: string,
      attemptId: AttemptSelector,
    ): Promise<StepInstance> {
      return http.json('GET', attempt(workflowId, instanceId, runId, stepId, attemptId));
    },

    /** Stops, kills or unblocks the latest run of an instance (or the run given). */
    instanceAction(
      workflowId: string,
      instanceId: number,
      action: InstanceAction,
      runId?: number,
    ): Promise<WorkflowInstanceActionResponse> {
      const base = runId === undefined ? inst(workflowId, instanceId) : run(workflowId, instanceId, runId);
      return http.json('PUT', `${base}/actions/${action}`);
    },

    stepAction(
      workflowId: string,
      instanceId: number,
      stepId: string,
      action: StepAction,
    ): Promise<StepInstanceActionResponse> {
      return http.json('PUT', `${inst(workflowId, instanceId)}/steps/${seg(stepId)}/actions/${action}`, {
        query: { blocking: true },
      });
    },

    /** A new run of an ended instance. */
    restartInstance(
      workflowId: string,
      instanceId: number,
      request: WorkflowInstanceRestartRequest = {},
    ): Promise<WorkflowStartResponse> {
      return http.json('POST', `${inst(workflowId, instanceId)}/actions/restart`, { json: request });
    },

    /** A new run from one step (that step and what depends on it run again). */
    restartStep(
      workflowId: string,
      instanceId: number,
      stepId: string,
      request: StepInstanceRestartRequest,
    ): Promise<StepInstanceRestartResponse> {
      return http.json('POST', `${inst(workflowId, instanceId)}/steps/${seg(stepId)}/actions/restart`, {
        query: { blocking: true },
        json: request,
      });
    },

    activate(workflowId: string, version: VersionSelector): Promise<WorkflowActionResponse> {
      return http.json('PUT', `${wf(workflowId)}/versions/${seg(version)}/actions/activate`);
    },

    deactivate(workflowId: string): Promise<WorkflowActionResponse> {
      return http.json('PUT', `${wf(workflowId)}/actions/deactivate`);
    },

    /**
     * A step attempt's log as text chunks: its stdout unless `stream` says `stderr`, its last `tail` lines when given.
     * With `follow`, the server keeps the answer open and sends what the step writes until the attempt ends; abort
     * `signal` to stop reading earlier.
     */
    async *stepLogs(
      workflowId: string,
      instanceId: number,
      runId: RunSelector,
      stepId: string,
      attemptId: AttemptSelector,
      options: StepLogOptions = {},
    ): AsyncGenerator<string> {
      const path = `${attempt(workflowId, instanceId, runId, stepId, attemptId)}/logs`;
      const response = await http.raw('GET', path, {
        query: {
          ...(options.follow ? { follow: true } : {}),
          ...(options.tail === undefined ? {} : { tail: options.tail }),
          ...(options.stream === undefined ? {} : { stream: options.stream }),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!response.body) return;
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const text = decoder.decode(value, { stream: true });
          if (text !== '') yield text;
        }
        const rest = decoder.decode();
        if (rest !== '') yield rest;
      } finally {
        reader.releaseLock();
        await response.body.cancel().catch(() => undefined);
      }
    },

    announceSignal(request: SignalCreateRequest): Promise<SignalInstance | undefined> {
      return http.json('POST', '/signals', { json: request });
    },

    /** One instance of a signal by seq id, or its latest. */
    getSignal(name: string, seq: number | 'latest' = 'latest'): Promise<SignalInstance> {
      return http.json('GET', `/signals/${seg(name)}/instances/${seq}`);
    },

    /** A workflow's signal trigger subscriptions and their checkpoints. */
    getSignalTriggers(workflowId: string): Promise<SignalTriggerSubscriptions> {
      return http.json('GET', `${wf(workflowId)}/signal-triggers`);
    },

    /** A signal's instances, newest first. */
    listSignals(name: string, query: PageQuery = {}): Promise<PaginationResult<SignalInstance>> {
      return http.json('GET', `/signals/${seg(name)}/instances`, { query: { ...query } });
    },

    /** What produced a signal instance (`signal_source`), the runs it started and the steps it released. */
    signalLineage(name: string, seq: number | 'latest'): Promise<SignalLineage> {
      return http.json('GET', `/signals/${seg(name)}/instances/${seg(seq)}/lineage`);
    },

    createToken(request: TokenCreateRequest): Promise<TokenCreateResponse> {
      return http.json('POST', '/tokens', { json: request });
    },

    /** The tokens (never their secrets); a bare array or `{tokens: [...]}` is read the same. */
    async listTokens(): Promise<TokenInfo[]> {
      const answer = await http.json<TokenInfo[] | { tokens?: TokenInfo[]; elements?: TokenInfo[] }>(
        'GET',
        '/tokens',
      );
      if (Array.isArray(answer)) return answer;
      return answer?.tokens ?? answer?.elements ?? [];
    },

    async revokeToken(id: string): Promise<void> {
      await http.json('DELETE', `/tokens/${seg(id)}`);
    },

    /** The messages a signal source parked, oldest first (`cursor = page_info.end_cursor` for the next page). */
    listParkedMessages(
      source: string,
      query: { first?: number; cursor?: string } = {},
    ): Promise<ParkedSourcePage> {
      return http.json('GET', `/signals/sources/${seg(source)}/parked`, { query: { ...query } });
    },

    async deleteParkedMessage(source: string, id: number): Promise<void> {
      await http.json('DELETE', `/signals/sources/${seg(source)}/parked/${id}`);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
