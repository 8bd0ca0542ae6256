import type { Properties, WorkflowCreateRequest } from '../../model/definition.js';

/** Workflows and their immutable versions, and the rules every transition of their runs respects (properties, breakpoints, tag limits). */
export interface WorkflowTx {
  /** Undefined when it has no version, or its deletion has started (`markWorkflowDeleted`). */
  getWorkflow(workflowId: string): Promise<WorkflowRecord | undefined>;
  /** `getWorkflow` of several workflows in one go (one round trip on a server), those found, in no particular order. */
  getWorkflows(workflowIds: readonly string[]): Promise<WorkflowRecord[]>;
  /**
   * Creates the workflow row on first use; returns the new version (latest + 1), activated unless is_active=false.
   * Writes a properties snapshot when the merged properties changed (always for the first version) and a
   * VERSION_CREATED timeline entry (see `WorkflowChangeTx`). ConflictError while the workflow is being deleted.
   */
  insertWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord>;
  getWorkflowVersion(workflowId: string, versionId: number): Promise<WorkflowVersionRecord | undefined>;
  /** `getWorkflowVersion` of several versions in one go, those found, in no particular order. */
  getWorkflowVersions(keys: readonly VersionKey[]): Promise<WorkflowVersionRecord[]>;
  /**
   * Allocates the next instance id of a workflow (1, 2, ...); with `count`, that many in a row, returning the first.
   * NotFoundError when the workflow does not exist or is being deleted.
   * Either way the workflow's counter stays locked until the transaction ends; `count` 0 only locks it (and returns
   * the id the next allocation would give).
   */
  nextInstanceId(workflowId: string, count?: number): Promise<number>;
  /**
   * `nextInstanceId` of several workflows in one go (each at most once), their counters locked in the order given
   * (callers sort them, so two transactions cannot deadlock); the first id of each, in that order. NotFoundError
   * names the first workflow that does not exist or is being deleted, and the transaction must not commit.
   */
  nextInstanceIds(counts: readonly InstanceCount[]): Promise<number[]>;

  /** A step attempt matching a breakpoint stops in PAUSED until resumed; 0 in a field matches any. */
  setBreakpoint(breakpoint: Breakpoint): Promise<void>;
  deleteBreakpoint(breakpoint: Breakpoint): Promise<number>;
  listBreakpoints(workflowId: string): Promise<Breakpoint[]>;
  /**
   * What every transition of a workflow's runs must respect, read together (one round trip on a server): the
   * workflow's properties (none when it has no row), its breakpoints as `listBreakpoints` lists them, and the limits
   * of these tags as `getTagPermits` gives them.
   */
  getWorkflowRules(workflowId: string, tags: readonly string[]): Promise<WorkflowRules>;
  /** `getWorkflowRules` of several workflows in one go (one statement on a server), in the order given. */
  getWorkflowRulesOf(
    requests: readonly { readonly workflow_id: string; readonly tags: readonly string[] }[],
  ): Promise<WorkflowRules[]>;
}

export interface VersionKey {
  readonly workflow_id: string;
  readonly version_id: number;
}

export interface InstanceCount {
  readonly workflow_id: string;
  /** How many ids to take (0: only lock the counter). */
  readonly count: number;
}

export interface WorkflowRecord {
  readonly workflow_id: string;
  readonly latest_version_id: number;
  /** 0 when no version is active. */
  readonly active_version_id: number;
  readonly properties: Properties;
  readonly latest_instance_id: number;
  readonly create_time: number;
  readonly modify_time: number;
}

export interface NewWorkflowVersion {
  readonly request: WorkflowCreateRequest;
  readonly author: string;
  readonly now: number;
}

export interface WorkflowVersionRecord {
  readonly workflow_id: string;
  readonly version_id: number;
  readonly definition: WorkflowCreateRequest;
  /** The properties in force when this version was created (merged with earlier ones). */
  readonly properties: Properties;
  readonly author: string;
  readonly create_time: number;
}

export interface WorkflowRules {
  /**
   * The store's rules version when these were read: it moves (in the same transaction) with every change of any
   * workflow's properties, any breakpoint and any tag permit, so rules read at the same version are still current.
   */
  readonly version: number;
  readonly properties?: Properties;
  readonly breakpoints: readonly Breakpoint[];
  readonly tagPermits: readonly { tag: string; max_allowed: number }[];
}

export interface Breakpoint {
  readonly workflow_id: string;
  readonly step_id: string;
  /** 0 = every instance, run or attempt. */
  readonly instance_id: number;
  readonly run_id: number;
  readonly attempt: number;
}
