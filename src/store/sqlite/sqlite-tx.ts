import { IllegalStateError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type {
  NewOutboxEvent,
  NewRun,
  NewWorkflowVersion,
  OutboxEvent,
  RunKey,
  RequestKey,
  InstanceCount,
  VersionKey,
  RunRecord,
  RunWrite,
  StepRecord,
  Breakpoint,
  LockedRun,
  PermitHold,
  PermitHolder,
  PermitRequest,
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
  MetricsSnapshot,
} from '../port.js';
import { checkDistinctWorkflows } from '../records.js';
import { runInChunks } from './sql.js';
import type { TxContext } from './tx-context.js';
import * as m from './tx-metrics.js';
import * as p from './tx-permits.js';
import { SqliteQueueTx } from './sqlite-queue-tx.js';
import * as q from './tx-queue.js';
import * as r from './tx-runs.js';
import * as s from './tx-sources.js';
import * as t from './tx-tokens.js';
import * as tt from './tx-time-triggers.js';
import * as w from './tx-workflows.js';

/**
 * One transaction's view of the store. better-sqlite3 runs each statement synchronously, so every method has done
 * its work before it returns its (already settled) promise. A tx is only good while its transaction is open: a call
 * after commit or rollback would otherwise run in autocommit mode, outside any transaction, so it throws instead.
 */
export class SqliteTx extends SqliteQueueTx implements StoreTx {
  private open = true;

  constructor(private readonly ctx: TxContext) {
    super();
  }

  get isOpen(): boolean {
    return this.open;
  }

  get workAdded(): boolean {
    return this.ctx.workAdded;
  }

  /** Called by `transact` when the transaction ends either way. */
  end(): void {
    this.open = false;
  }

  protected override c(): TxContext {
    if (!this.open)
      throw new IllegalStateError(
        'this transaction has already ended; use the tx only inside its transact callback',
      );
    return this.ctx;
  }

  async getWorkflow(workflowId: string): Promise<WorkflowRecord | undefined> {
    return w.getWorkflow(this.c(), workflowId);
  }
  async getWorkflows(workflowIds: readonly string[]): Promise<WorkflowRecord[]> {
    const ctx = this.c();
    return [...new Set(workflowIds)].flatMap((id) => w.getWorkflow(ctx, id) ?? []);
  }
  async insertWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    return w.insertWorkflowVersion(this.c(), input);
  }
  async getWorkflowVersion(
    workflowId: string,
    versionId: number,
  ): Promise<WorkflowVersionRecord | undefined> {
    return w.getWorkflowVersion(this.c(), workflowId, versionId);
  }
  async getWorkflowVersions(keys: readonly VersionKey[]): Promise<WorkflowVersionRecord[]> {
    const ctx = this.c();
    return distinct(keys, (k) => `${k.workflow_id}\u0000${k.version_id}`).flatMap(
      (k) => w.getWorkflowVersion(ctx, k.workflow_id, k.version_id) ?? [],
    );
  }
  async nextInstanceId(workflowId: string, count = 1): Promise<number> {
    return w.nextInstanceId(this.c(), workflowId, count);
  }
  /** The embedded store's transactions already exclude each other: the counters are only taken, in the order given. */
  async nextInstanceIds(counts: readonly InstanceCount[]): Promise<number[]> {
    checkDistinctWorkflows(counts);
    const ctx = this.c();
    return counts.map((c) => w.nextInstanceId(ctx, c.workflow_id, c.count));
  }

  // -- API tokens (tx-tokens.ts) --
  async insertToken(token: NewToken): Promise<TokenRecord> {
    return t.insertToken(this.c(), token);
  }
  async getToken(id: string): Promise<TokenRecord | undefined> {
    return t.getToken(this.c(), id);
  }
  async listTokens(): Promise<TokenRecord[]> {
    return t.listTokens(this.c());
  }
  async revokeToken(id: string, now: number): Promise<boolean> {
    return t.revokeToken(this.c(), id, now);
  }
  async touchToken(id: string, now: number): Promise<void> {
    t.touchToken(this.c(), id, now);
  }

  // -- time triggers (tx-time-triggers.ts) --
  async getTimeTrigger(workflowId: string): Promise<TimeTriggerState | undefined> {
    return tt.getTimeTrigger(this.c(), workflowId);
  }
  async getTimeTriggers(workflowIds: readonly string[]): Promise<TimeTriggerState[]> {
    return tt.getTimeTriggers(this.c(), workflowIds);
  }
  async putTimeTrigger(state: NewTimeTriggerState): Promise<TimeTriggerState> {
    return tt.putTimeTrigger(this.c(), state);
  }
  async deleteTimeTrigger(workflowId: string): Promise<boolean> {
    return tt.deleteTimeTrigger(this.c(), workflowId);
  }
  async advanceTimeTriggers(updates: readonly TimeTriggerAdvance[]): Promise<string[]> {
    return tt.advanceTimeTriggers(this.c(), updates);
  }
  // -- parked source messages (tx-sources.ts) --
  async parkSourceMessage(message: NewParkedMessage): Promise<ParkedMessage> {
    return s.parkSourceMessage(this.c(), message);
  }
  async listParkedMessages(source: string, afterId: number, limit: number): Promise<ParkedMessage[]> {
    return s.listParkedMessages(this.c(), source, afterId, limit);
  }
  async deleteParkedMessage(source: string, id: number): Promise<boolean> {
    return s.deleteParkedMessage(this.c(), source, id);
  }

  async insertRun(run: NewRun): Promise<RunRecord | undefined> {
    return r.insertRun(this.c(), run);
  }
  // The embedded store has no round trips to save: the batch forms are loops.
  async insertRuns(runs: readonly NewRun[]): Promise<(RunRecord | undefined)[]> {
    const ctx = this.c();
    return runs.map((run) => r.insertRun(ctx, run));
  }
  async findRunByRequestId(workflowId: string, requestId: string): Promise<RunRecord | undefined> {
    return r.findRunByRequestId(this.c(), workflowId, requestId);
  }
  async findRunsByRequestIds(keys: readonly RequestKey[]): Promise<RunRecord[]> {
    const ctx = this.c();
    return distinct(keys, (k) => `${k.workflow_id}\u0000${k.request_id}`).flatMap(
      (k) => r.findRunByRequestId(ctx, k.workflow_id, k.request_id) ?? [],
    );
  }
  async getRun(key: RunKey): Promise<RunRecord | undefined> {
    return r.getRun(this.c(), key);
  }
  async getLatestRun(workflowId: string, instanceId: number): Promise<RunRecord | undefined> {
    return r.getLatestRun(this.c(), workflowId, instanceId);
  }
  /** The embedded store's transactions already exclude each other (BEGIN IMMEDIATE): only the versions are read. */
  async lockRuns(keys: readonly RunKey[]): Promise<LockedRun[]> {
    const { getRunVersion } = this.c().stmts;
    const out: LockedRun[] = [];
    if (keys.length === 0) return out;
    const rulesVersion = this.rulesVersion();
    for (const key of keys) {
      const row = getRunVersion.get(key.workflow_id, key.instance_id, key.run_id) as
        { version: number } | undefined;
      if (row) out.push({ key, version: row.version, rulesVersion });
    }
    return out;
  }
  private rulesVersion(): number {
    return (this.c().stmts.getRulesVersion.get() as { version: number }).version;
  }
  async lockAdmissions(): Promise<void> {
    // One connection, one writer: an admission in this transaction is alone already.
  }
  async updateRun(run: RunRecord, expectedVersion: number): Promise<RunRecord> {
    return r.updateRun(this.c(), run, expectedVersion);
  }
  async acquirePermits(
    holder: PermitHolder,
    permits: readonly PermitRequest[],
    now: number,
  ): Promise<boolean> {
    return p.acquirePermits(this.c(), holder, permits, now);
  }
  async permitState(keys: readonly string[]): Promise<Record<string, { held: number; waiting: boolean }>> {
    return p.permitState(this.c(), keys);
  }
  async queueForPermits(holds: readonly PermitHold[], now: number): Promise<string[]> {
    return p.queueForPermits(this.c(), holds, now);
  }
  async holdPermits(holds: readonly PermitHold[], now: number): Promise<void> {
    p.holdPermits(this.c(), holds, now);
  }
  async releasePermits(holders: readonly PermitHolder[]): Promise<string[]> {
    return p.releasePermits(this.c(), holders);
  }
  async grantWaiting(keys: readonly string[]): Promise<PermitHolder[]> {
    return p.grantWaiting(this.c(), keys);
  }
  async setBreakpoint(b: Breakpoint): Promise<void> {
    this.c().stmts.setBreakpoint.run(b.workflow_id, b.step_id, b.instance_id, b.run_id, b.attempt);
    this.c().stmts.bumpRulesVersion.run();
  }
  async deleteBreakpoint(b: Breakpoint): Promise<number> {
    return w.deleteBreakpoint(this.c(), b);
  }
  async listBreakpoints(workflowId: string): Promise<Breakpoint[]> {
    return this.c().stmts.listBreakpoints.all(workflowId) as Breakpoint[];
  }
  async getWorkflowRules(workflowId: string, tags: readonly string[]): Promise<WorkflowRules> {
    const properties = w.getRuleProperties(this.c(), workflowId);
    const rules = {
      version: this.rulesVersion(),
      breakpoints: await this.listBreakpoints(workflowId),
      tagPermits: await this.getTagPermits(tags),
    };
    return properties ? { properties, ...rules } : rules;
  }
  async getWorkflowRulesOf(
    requests: readonly { readonly workflow_id: string; readonly tags: readonly string[] }[],
  ): Promise<WorkflowRules[]> {
    const out: WorkflowRules[] = [];
    for (const r of requests) out.push(await this.getWorkflowRules(r.workflow_id, r.tags));
    return out;
  }
  async setTagPermit(tag: string, maxAllowed: number): Promise<void> {
    this.c().stmts.setTagPermit.run(tag, maxAllowed);
    this.c().stmts.bumpRulesVersion.run();
  }
  async getTagPermits(tags: readonly string[]): Promise<{ tag: string; max_allowed: number }[]> {
    if (tags.length === 0) return [];
    return this.c().stmts.getTagPermits.all(JSON.stringify(tags)) as { tag: string; max_allowed: number }[];
  }
  async writeRuns(writes: readonly RunWrite[]): Promise<RunRecord[]> {
    const ctx = this.c();
    // All or none: a failed update throws, and the caller's transaction rolls back what came before it.
    return writes.map(({ run, expectedVersion, steps }) => {
      const written = r.updateRun(ctx, run, expectedVersion);
      this.putStepsNow(run, steps);
      return written;
    });
  }
  async getStepsOf(keys: readonly RunKey[]): Promise<StepRecord[][]> {
    return keys.map((key) => this.getStepsNow(key));
  }
  async getSteps(key: RunKey): Promise<StepRecord[]> {
    return this.getStepsNow(key);
  }
  private getStepsNow(key: RunKey): StepRecord[] {
    const rows = this.c().stmts.getSteps.all(key.workflow_id, key.instance_id, key.run_id) as {
      step_id: string;
      status: string;
      attempt: number;
      state: string;
    }[];
    return rows.map((row) => ({ ...row, state: JSON.parse(row.state) as JsonObject }));
  }
  async putSteps(key: RunKey, steps: readonly StepRecord[]): Promise<void> {
    this.putStepsNow(key, steps);
  }
  private putStepsNow(key: RunKey, steps: readonly StepRecord[]): void {
    const { putStep, putStepChunk } = this.c().stmts;
    const { workflow_id, instance_id, run_id } = key;
    // positional parameters: binding by name costs a lookup per column, and this runs for every step write
    runInChunks(steps, putStepChunk, putStep, (step) => [
      workflow_id,
      instance_id,
      run_id,
      step.step_id,
      step.status,
      step.attempt,
      JSON.stringify(step.state),
    ]);
  }
  async listRunsByStatus(
    workflowId: string,
    statuses: readonly WorkflowInstanceStatus[],
    limit: number,
  ): Promise<RunRecord[]> {
    return r.listRunsByStatus(this.c(), workflowId, statuses, limit);
  }
  async countRunsByStatus(workflowId: string, statuses: readonly WorkflowInstanceStatus[]): Promise<number> {
    return r.countRunsByStatus(this.c(), workflowId, statuses);
  }
  async listRunsByStatusOf(
    limits: readonly { readonly workflow_id: string; readonly limit: number }[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<RunRecord[][]> {
    const ctx = this.c();
    return limits.map((l) => r.listRunsByStatus(ctx, l.workflow_id, statuses, l.limit));
  }
  async countRunsByStatusOf(
    workflowIds: readonly string[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<number[]> {
    const ctx = this.c();
    return workflowIds.map((id) => r.countRunsByStatus(ctx, id, statuses));
  }
  async hasBlockingFailedRun(workflowId: string): Promise<boolean> {
    return r.hasBlockingFailedRun(this.c(), workflowId);
  }
  async unblockRun(key: RunKey): Promise<boolean> {
    return r.unblockRun(this.c(), key);
  }

  async appendOutbox(events: readonly NewOutboxEvent[]): Promise<void> {
    q.appendOutbox(this.c(), events);
  }
  async readOutbox(afterId: number, limit: number): Promise<OutboxEvent[]> {
    return q.readOutbox(this.c(), afterId, limit);
  }

  async metricsSnapshot(now: number): Promise<MetricsSnapshot> {
    return m.metricsSnapshot(this.c(), now);
  }
  async ping(): Promise<void> {
    m.ping(this.c());
  }
}

/** The first of each group of items with the same key, in order. */
function distinct<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
