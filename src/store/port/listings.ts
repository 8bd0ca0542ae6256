import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { InstanceKey, RunRecord } from './runs.js';
import type { Breakpoint, WorkflowRecord, WorkflowVersionRecord } from './workflows.js';

/**
 * Keyset-paginated listings for the API (`GET /api/v3/...`). A page starts at a position (a typed key of the
 * listing's order, which the API encodes as an opaque cursor) and reads `first` rows after it or `last` rows before
 * it; no listing uses OFFSET, so a page costs the same however deep it is, and each reads one index range (named in
 * its doc). Listings are plain reads of committed rows: a page is consistent in itself, not with the page before it
 * (rows added or removed between two pages shift what the next one shows, never duplicate a row within one page).
 *
 * The steps of a run have no listing of their own: `getSteps` is it (at most 300 steps per run, each step's earlier
 * attempts inside its state), so a run's steps come whole.
 */
export interface ListingTx {
  /** Workflows by `workflow_id` (ascending), with their latest and active version ids; deleted ones left out. PK. */
  listWorkflows(page: PageRequest<string>): Promise<Page<WorkflowRecord>>;
  /** Versions of a workflow, newest first (position: `version_id`). PK of workflow_version. */
  listVersions(workflowId: string, page: PageRequest<number>): Promise<Page<WorkflowVersionRecord>>;
  /**
   * Instances of a workflow, newest first (position: `instance_id`), each as its latest run (highest `run_id`), with
   * `statuses` only those whose latest run is in one of them (an empty list matches none). Reads the partial index `run_latest` (latest runs by
   * workflow, status, instance): one range per status, so a page costs `first`/`last` rows per status asked (all
   * seven when none is), whatever the history.
   */
  listInstances(
    workflowId: string,
    page: PageRequest<number>,
    statuses?: readonly WorkflowInstanceStatus[],
  ): Promise<Page<RunRecord>>;
  /** The runs of an instance, oldest first (position: `run_id`). PK of run. */
  listRuns(instance: InstanceKey, page: PageRequest<number>): Promise<Page<RunRecord>>;
  /**
   * How many instances of a workflow have their latest run in each status (statuses with none are left out), for
   * `GET /workflows/{id}/overview`. Counts the workflow's entries of `run_latest`: it costs one index entry per
   * instance (no run rows are read), not per run.
   */
  countInstancesByStatus(workflowId: string): Promise<Partial<Record<WorkflowInstanceStatus, number>>>;
  /** Tag permits by tag (ascending; position: `tag`); one tag is `getTagPermits([tag])`. PK of tag_permit. */
  listTagPermits(page: ForwardPageRequest<string>): Promise<Page<TagPermit>>;
  /**
   * Breakpoints in key order (workflow, step, instance, run, attempt; position: the last one's key), of one
   * workflow and/or one step when `filter` says. PK of breakpoint: with a workflow, one range of it; a step alone
   * reads past other steps' breakpoints (they are set by hand, so few).
   */
  findBreakpoints(filter: BreakpointFilter, page: ForwardPageRequest<Breakpoint>): Promise<Page<Breakpoint>>;
}

/**
 * Which page to read: the `first` rows after position `after` (from the start when absent), or the `last` rows
 * before position `before` (up to the end when absent). Either count is 1 to `MAX_PAGE_SIZE`.
 */
export type PageRequest<P> = ForwardPageRequest<P> | BackwardPageRequest<P>;

export interface ForwardPageRequest<P> {
  readonly first: number;
  readonly after?: P;
}

export interface BackwardPageRequest<P> {
  readonly last: number;
  readonly before?: P;
}

export interface Page<R> {
  /** In the listing's order, whichever way the page was read. */
  readonly rows: readonly R[];
  /**
   * Whether rows lie beyond this page in the direction it was read (after its last row for `first`, before its
   * first row for `last`). The other side: read one row the other way from the page's first (last) row.
   */
  readonly hasMore: boolean;
}

/** The largest page a listing returns (Maestro's API pages are at most 200). */
export const MAX_PAGE_SIZE = 1000;

export interface TagPermit {
  readonly tag: string;
  readonly max_allowed: number;
}

export interface BreakpointFilter {
  readonly workflow_id?: string;
  readonly step_id?: string;
}
