import type { PoolClient, QueryResultRow } from 'pg';
import { IllegalStateError } from '../../model/errors.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { Clock } from '../../sel/index.js';
import type {
  BatchQueueWrites,
  Breakpoint,
  LockedRun,
  NewOutboxEvent,
  NewRun,
  NewWorkflowVersion,
  OutboxEvent,
  PermitHold,
  PermitHolder,
  PermitRequest,
  RunKey,
  RequestKey,
  InstanceCount,
  VersionKey,
  RunRecord,
  RunWrite,
  StepRecord,
  StoreTx,
  NewToken,
  NewParkedMessage,
  ParkedMessage,
  TokenRecord,
  NewTimeTriggerState,
  TimeTriggerAdvance,
  TimeTriggerState,
  WorkflowRecord,
  WorkflowRules,
  WorkflowVersionRecord,
  WorkItem,
  MetricsSnapshot,
} from '../port.js';
import { lastOfEachStep, toOutboxEvent, toRun, type OutboxRow, type RunRow } from '../records.js';
import * as m from './pg-metrics.js';
import * as p from './pg-permits.js';
import { PgQueueTx } from './pg-queue-tx.js';
import * as pr from './pg-runs.js';
import * as w from './pg-queue.js';
import * as s from './pg-sources.js';
import * as t from './pg-tokens.js';
import * as tt from './pg-time-triggers.js';
import * as pw from './pg-workflows.js';
import type { Query } from './query.js';
import { SQL, type QueryName } from './sql.js';

/**
 * One PostgreSQL transaction's view of the store, on the pool connection `transact` opened it on. READ COMMITTED
 * with explicit locks where an invariant needs them: runs by their optimistic version, permits by their count rows,
 * work items by `FOR UPDATE SKIP LOCKED`, workflows by their row.
 */
export class PgTx extends PgQueueTx implements StoreTx {
  private open = true;
  /** Set when the transaction added claimable work, so the commit wakes `onWork` listeners. */
  workAdded = false;

  constructor(
    private readonly client: PoolClient,
    protected readonly clock: Clock,
  ) {
    super();
  }

  end(): void {
    this.open = false;
  }

  /**
   * The first statement of this transaction that failed, awaited or not (pipelined statements go out before the
   * answers of those ahead of them). The server then refuses every later statement as "current transaction is
   * aborted" and turns COMMIT into ROLLBACK without an error, so `transact` raises this one instead.
   */
  failure: unknown;

  /** The query function the statement modules (permits, queue) run through. */
  protected override readonly query: Query = (name, values) => this.q(name, values);

  private async q<R extends QueryResultRow>(
    name: QueryName,
    values: unknown[],
  ): Promise<{ rows: R[]; count: number }> {
    if (!this.open)
      throw new IllegalStateError(
        'this transaction has already ended; use the tx only inside its transact callback',
      );
    try {
      const result = await this.client.query<R>({ name, text: SQL[name], values });
      return { rows: result.rows, count: result.rowCount ?? 0 };
    } catch (error) {
      if (this.failure !== undefined) throw this.failure;
      this.failure = error;
      throw error;
    }
  }

  // -- API tokens (pg-tokens.ts) ----------------------------------------------------------------------------------
  insertToken = (token: NewToken): Promise<TokenRecord> => t.insertToken(this.query, token);
  getToken = (id: string): Promise<TokenRecord | undefined> => t.getToken(this.query, id);
  listTokens = (): Promise<TokenRecord[]> => t.listTokens(this.query);
  revokeToken = (id: string, now: number): Promise<boolean> => t.revokeToken(this.query, id, now);
  touchToken = (id: string, now: number): Promise<void> => t.touchToken(this.query, id, now);

  // -- time triggers (pg-time-triggers.ts) --------------------------------------------------------------------------
  getTimeTrigger = (workflowId: string): Promise<TimeTriggerState | undefined> =>
    tt.getTimeTrigger(this.query, workflowId);
  getTimeTriggers = (workflowIds: readonly string[]): Promise<TimeTriggerState[]> =>
    tt.getTimeTriggers(this.query, workflowIds);
  putTimeTrigger = (state: NewTimeTriggerState): Promise<TimeTriggerState> =>
    tt.putTimeTrigger(this.query, state);
  deleteTimeTrigger = (workflowId: string): Promise<boolean> => tt.deleteTimeTrigger(this.query, workflowId);
  advanceTimeTriggers = (updates: readonly TimeTriggerAdvance[]): Promise<string[]> =>
    tt.advanceTimeTriggers(this.query, updates);
  // -- parked source messages (pg-sources.ts) ---------------------------------------------------------------------
  parkSourceMessage = (message: NewParkedMessage): Promise<ParkedMessage> =>
    s.parkSourceMessage(this.query, message);
  listParkedMessages = (source: string, afterId: number, limit: number): Promise<ParkedMessage[]> =>
    s.listParkedMessages(this.query, source, afterId, limit);
  deleteParkedMessage = (source: string, id: number): Promise<boolean> =>
    s.deleteParkedMessage(this.query, source, id);

  // -- workflows and versions --------------------------------------------------------------------------------------

  async getWorkflow(workflowId: string): Promise<WorkflowRecord | undefined> {
    return (await this.getWorkflows([workflowId]))[0];
  }

  getWorkflows = (workflowIds: readonly string[]): Promise<WorkflowRecord[]> =>
    pw.getWorkflows(this.query, workflowIds);

  async insertWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    return pw.insertWorkflowVersion(this.query, input);
  }

  async getWorkflowVersion(
    workflowId: string,
    versionId: number,
  ): Promise<WorkflowVersionRecord | undefined> {
    return (await this.getWorkflowVersions([{ workflow_id: workflowId, version_id: versionId }]))[0];
  }

  getWorkflowVersions = (keys: readonly VersionKey[]): Promise<WorkflowVersionRecord[]> =>
    pw.getWorkflowVersions(this.query, keys);

  async nextInstanceId(workflowId: string, count = 1): Promise<number> {
    return (await this.nextInstanceIds([{ workflow_id: workflowId, count }]))[0]!;
  }

  nextInstanceIds = (counts: readonly InstanceCount[]): Promise<number[]> =>
    pw.nextInstanceIds(this.query, counts);

  // -- runs --------------------------------------------------------------------------------------------------------

  async insertRun(run: NewRun): Promise<RunRecord | undefined> {
    return (await this.insertRuns([run]))[0];
  }

  async insertRuns(runs: readonly NewRun[]): Promise<(RunRecord | undefined)[]> {
    return pr.insertRuns(this.query, runs, this.clock.now());
  }

  findRunsByRequestIds = (keys: readonly RequestKey[]): Promise<RunRecord[]> =>
    pr.findRunsByRequestIds(this.query, keys);

  async writeRuns(writes: readonly RunWrite[]): Promise<RunRecord[]> {
    return pr.writeRuns(this.query, writes, this.clock.now());
  }

  async getStepsOf(keys: readonly RunKey[]): Promise<StepRecord[][]> {
    return pr.getStepsOf(this.query, keys);
  }

  async findRunByRequestId(workflowId: string, requestId: string): Promise<RunRecord | undefined> {
    const [row] = (await this.q<RunRow>('getRunByRequestId', [workflowId, requestId])).rows;
    return row && toRun(row);
  }

  async getRun(key: RunKey): Promise<RunRecord | undefined> {
    const [row] = (await this.q<RunRow>('getRun', [key.workflow_id, key.instance_id, key.run_id])).rows;
    return row && toRun(row);
  }

  async getLatestRun(workflowId: string, instanceId: number): Promise<RunRecord | undefined> {
    const [row] = (await this.q<RunRow>('getLatestRun', [workflowId, instanceId])).rows;
    return row && toRun(row);
  }

  async lockAdmissions(workflowIds: readonly string[]): Promise<void> {
    await p.lockAdmissions(this.query, workflowIds);
  }

  async lockRuns(keys: readonly RunKey[]): Promise<LockedRun[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.q<RunKey & { version: number; rules_version: number }>('lockRuns', [
      keys.map((k) => k.workflow_id),
      keys.map((k) => k.instance_id),
      keys.map((k) => k.run_id),
    ]);
    const id = (k: RunKey): string => `${k.workflow_id}\u0000${k.instance_id}\u0000${k.run_id}`;
    const found = new Map(rows.map((r) => [id(r), r]));
    const out: LockedRun[] = [];
    for (const key of keys) {
      const row = found.get(id(key));
      if (row !== undefined) out.push({ key, version: row.version, rulesVersion: row.rules_version });
    }
    return out;
  }

  async updateRun(run: RunRecord, expectedVersion: number): Promise<RunRecord> {
    return (await this.writeRuns([{ run, expectedVersion, steps: [] }]))[0]!;
  }

  async listRunsByStatus(
    workflowId: string,
    statuses: readonly WorkflowInstanceStatus[],
    limit: number,
  ): Promise<RunRecord[]> {
    return (await this.listRunsByStatusOf([{ workflow_id: workflowId, limit }], statuses))[0]!;
  }

  async countRunsByStatus(workflowId: string, statuses: readonly WorkflowInstanceStatus[]): Promise<number> {
    return (await this.countRunsByStatusOf([workflowId], statuses))[0]!;
  }

  listRunsByStatusOf = (
    limits: readonly { readonly workflow_id: string; readonly limit: number }[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<RunRecord[][]> => pr.listRunsByStatusOf(this.query, limits, statuses);

  countRunsByStatusOf = (
    workflowIds: readonly string[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<number[]> => pr.countRunsByStatusOf(this.query, workflowIds, statuses);

  async hasBlockingFailedRun(workflowId: string): Promise<boolean> {
    return (await this.q<{ held: boolean }>('hasBlockingFailedRun', [workflowId])).rows[0]!.held;
  }

  async unblockRun(key: RunKey): Promise<boolean> {
    return (await this.q('unblockRun', [key.workflow_id, key.instance_id, key.run_id])).count > 0;
  }

  // -- steps -------------------------------------------------------------------------------------------------------

  async getSteps(key: RunKey): Promise<StepRecord[]> {
    return (await this.getStepsOf([key]))[0]!;
  }

  async putSteps(key: RunKey, steps: readonly StepRecord[]): Promise<void> {
    if (steps.length === 0) return;
    const list = lastOfEachStep(steps);
    await this.q('putSteps', [
      key.workflow_id,
      key.instance_id,
      key.run_id,
      list.map((s) => s.step_id),
      list.map((s) => s.status),
      list.map((s) => s.attempt),
      list.map((s) => JSON.stringify(s.state)),
    ]);
  }

  // -- permits -----------------------------------------------------------------------------------------------------
  async acquirePermits(
    holder: PermitHolder,
    permits: readonly PermitRequest[],
    now: number,
  ): Promise<boolean> {
    return p.acquirePermits(this.query, holder, permits, now);
  }

  async permitState(keys: readonly string[]): Promise<Record<string, { held: number; waiting: boolean }>> {
    return p.permitState(this.query, keys);
  }

  async queueForPermits(holds: readonly PermitHold[], now: number): Promise<string[]> {
    return p.queueForPermits(this.query, holds, now);
  }

  async holdPermits(holds: readonly PermitHold[], now: number): Promise<void> {
    await p.holdPermits(this.query, holds, now);
  }

  async releasePermits(holders: readonly PermitHolder[]): Promise<string[]> {
    return p.releasePermits(this.query, holders);
  }

  async grantWaiting(keys: readonly string[]): Promise<PermitHolder[]> {
    return p.grantWaiting(this.query, keys);
  }

  async setTagPermit(tag: string, maxAllowed: number): Promise<void> {
    await this.q('setTagPermit', [tag, maxAllowed]);
    await this.q('bumpRulesVersion', []);
  }

  async getTagPermits(tags: readonly string[]): Promise<{ tag: string; max_allowed: number }[]> {
    if (tags.length === 0) return [];
    return (await this.q<{ tag: string; max_allowed: number }>('getTagPermits', [[...tags]])).rows;
  }

  // -- breakpoints -------------------------------------------------------------------------------------------------

  async setBreakpoint(b: Breakpoint): Promise<void> {
    await this.q('setBreakpoint', [b.workflow_id, b.step_id, b.instance_id, b.run_id, b.attempt]);
    await this.q('bumpRulesVersion', []);
  }

  async deleteBreakpoint(b: Breakpoint): Promise<number> {
    const { count } = await this.q('deleteBreakpoint', [
      b.workflow_id,
      b.step_id,
      b.instance_id,
      b.run_id,
      b.attempt,
    ]);
    if (count > 0) await this.q('bumpRulesVersion', []);
    return count;
  }

  async listBreakpoints(workflowId: string): Promise<Breakpoint[]> {
    return (await this.q<Breakpoint>('listBreakpoints', [workflowId])).rows;
  }

  async getWorkflowRules(workflowId: string, tags: readonly string[]): Promise<WorkflowRules> {
    return (await this.getWorkflowRulesOf([{ workflow_id: workflowId, tags }]))[0]!;
  }

  getWorkflowRulesOf = (
    requests: readonly { readonly workflow_id: string; readonly tags: readonly string[] }[],
  ): Promise<WorkflowRules[]> => pr.getWorkflowRulesOf(this.query, requests);

  // -- outbox ------------------------------------------------------------------------------------------------------

  async writeBatch(writes: BatchQueueWrites): Promise<WorkItem[]> {
    return w.writeBatch(this.query, writes, (items) => this.enqueue(items));
  }

  async appendOutbox(events: readonly NewOutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.q('appendOutbox', [
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.payload)),
      events.map((e) => e.create_time),
    ]);
  }

  async readOutbox(afterId: number, limit: number): Promise<OutboxEvent[]> {
    if (limit <= 0) return [];
    return (await this.q<OutboxRow>('readOutbox', [afterId, limit])).rows.map(toOutboxEvent);
  }

  // -- monitoring ------------------------------------------------------------------------------------------------

  async metricsSnapshot(now: number): Promise<MetricsSnapshot> {
    return m.metricsSnapshot(this.query, now);
  }
  async ping(): Promise<void> {
    await m.ping(this.query);
  }
}
