import type { PoolClient, QueryResultRow } from 'pg';
import { ConflictError, IllegalStateError, NotFoundError } from '../../model/errors.js';
import type { JsonObject } from '../../model/json.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { Clock } from '../../sel/index.js';
import type {
  BatchQueueWrites,
  Breakpoint,
  NewOutboxEvent,
  NewRun,
  NewWorkflowVersion,
  NewWorkItem,
  OutboxEvent,
  PermitHold,
  PermitHolder,
  PermitRequest,
  RunKey,
  RunRecord,
  StepRecord,
  StoreTx,
  WorkflowRecord,
  WorkflowVersionRecord,
  WorkItem,
} from '../port.js';
import { WorkItemKind } from '../port.js';
import {
  keyOf,
  planVersion,
  runName,
  runRecordOf,
  storedWorkItem,
  toOutboxEvent,
  toRun,
  toVersion,
  toWorkflow,
  toWorkItem,
  type OutboxRow,
  type RunRow,
  type VersionRow,
  type WorkflowRow,
  type WorkItemRow,
} from '../records.js';
import { SQL, type QueryName } from './sql.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Names a permit holder in the `permit` table (one step attempt). */
export function holderId(h: PermitHolder): string {
  return `${h.workflow_id}/${h.instance_id}/${h.run_id}/${h.step_id}/${h.attempt}`;
}

/**
 * One PostgreSQL transaction's view of the store, on the pool connection `transact` opened it on. READ COMMITTED
 * with explicit locks where an invariant needs them: runs by their optimistic version, permits by their count rows,
 * work items by `FOR UPDATE SKIP LOCKED`, workflows by their row.
 */
export class PgTx implements StoreTx {
  private open = true;
  /** Set when the transaction added claimable work, so the commit wakes `onWork` listeners. */
  workAdded = false;

  constructor(
    private readonly client: PoolClient,
    private readonly clock: Clock,
  ) {}

  end(): void {
    this.open = false;
  }

  private async q<R extends QueryResultRow>(
    name: QueryName,
    values: unknown[],
  ): Promise<{ rows: R[]; count: number }> {
    if (!this.open)
      throw new IllegalStateError(
        'this transaction has already ended; use the tx only inside its transact callback',
      );
    const result = await this.client.query<R>({ name, text: SQL[name], values });
    return { rows: result.rows, count: result.rowCount ?? 0 };
  }

  // -- workflows and versions --------------------------------------------------------------------------------------

  async getWorkflow(workflowId: string): Promise<WorkflowRecord | undefined> {
    const [row] = (await this.q<WorkflowRow>('getWorkflow', [workflowId])).rows;
    return row && row.latest_version_id > 0 ? toWorkflow(row) : undefined;
  }

  /** Version latest + 1; properties merge key by key with the previous snapshot (see the SQLite adapter). */
  async insertWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord> {
    const { request, author, now } = input;
    const workflowId = request.workflow.id;
    await this.q('ensureWorkflow', [workflowId, now]);
    const [row] = (await this.q<WorkflowRow>('lockWorkflow', [workflowId])).rows;
    const plan = planVersion(row !== undefined && row.latest_version_id > 0 ? row : undefined, input);
    await this.q('updateWorkflowVersion', [
      workflowId,
      plan.versionId,
      plan.activeVersionId,
      plan.propertiesText,
      now,
    ]);
    await this.q('insertVersion', [
      workflowId,
      plan.versionId,
      plan.definitionText,
      plan.propertiesText,
      author,
      now,
    ]);
    return plan.record;
  }

  async getWorkflowVersion(
    workflowId: string,
    versionId: number,
  ): Promise<WorkflowVersionRecord | undefined> {
    const [row] = (await this.q<VersionRow>('getVersion', [workflowId, versionId])).rows;
    return row && toVersion(row);
  }

  async nextInstanceId(workflowId: string): Promise<number> {
    const [row] = (await this.q<{ latest_instance_id: number }>('nextInstanceId', [workflowId])).rows;
    if (!row)
      throw new NotFoundError(`workflow '${workflowId}' does not exist`, {
        details: { workflow_id: workflowId },
      });
    return row.latest_instance_id;
  }

  // -- runs --------------------------------------------------------------------------------------------------------

  async insertRun(run: NewRun): Promise<RunRecord | undefined> {
    const modifyTime = this.clock.now();
    let count: number;
    try {
      ({ count } = await this.q('insertRun', [
        run.workflow_id,
        run.instance_id,
        run.run_id,
        run.version_id,
        run.request_id,
        run.status,
        run.correlation_id,
        JSON.stringify(run.initiator),
        JSON.stringify(run.state),
        run.create_time,
        modifyTime,
      ]));
    } catch (error) {
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'run_pkey') {
        throw new ConflictError(`run ${runName(run)} already exists`, { details: keyOf(run), cause: error });
      }
      throw error;
    }
    return count === 0 ? undefined : runRecordOf(run, 1, modifyTime);
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

  async lockRuns(keys: readonly RunKey[]): Promise<{ key: RunKey; version: number }[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.q<RunKey & { version: number }>('lockRuns', [
      keys.map((k) => k.workflow_id),
      keys.map((k) => k.instance_id),
      keys.map((k) => k.run_id),
    ]);
    const id = (k: RunKey): string => `${k.workflow_id}\u0000${k.instance_id}\u0000${k.run_id}`;
    const versions = new Map(rows.map((r) => [id(r), r.version]));
    const out: { key: RunKey; version: number }[] = [];
    for (const key of keys) {
      const version = versions.get(id(key));
      if (version !== undefined) out.push({ key, version });
    }
    return out;
  }

  async updateRun(run: RunRecord, expectedVersion: number): Promise<RunRecord> {
    const modifyTime = this.clock.now();
    const { count } = await this.q('updateRun', [
      run.workflow_id,
      run.instance_id,
      run.run_id,
      run.version_id,
      run.status,
      run.correlation_id,
      JSON.stringify(run.initiator),
      JSON.stringify(run.state),
      run.start_time ?? null,
      run.end_time ?? null,
      modifyTime,
      expectedVersion,
    ]);
    if (count === 0) {
      const [current] = (
        await this.q<{ version: number }>('getRunVersion', [run.workflow_id, run.instance_id, run.run_id])
      ).rows;
      if (!current) throw new NotFoundError(`run ${runName(run)} does not exist`, { details: keyOf(run) });
      throw new ConflictError(
        `run ${runName(run)} is at version ${current.version}, not ${expectedVersion}: it changed since it was read`,
        { details: { ...keyOf(run), expected_version: expectedVersion, actual_version: current.version } },
      );
    }
    return runRecordOf(run, expectedVersion + 1, modifyTime);
  }

  async listRunsByStatus(
    workflowId: string,
    statuses: readonly WorkflowInstanceStatus[],
    limit: number,
  ): Promise<RunRecord[]> {
    if (limit <= 0 || statuses.length === 0) return [];
    return (await this.q<RunRow>('listRunsByStatus', [workflowId, [...statuses], limit])).rows.map(toRun);
  }

  async countRunsByStatus(workflowId: string, statuses: readonly WorkflowInstanceStatus[]): Promise<number> {
    if (statuses.length === 0) return 0;
    return (await this.q<{ n: number }>('countRunsByStatus', [workflowId, [...statuses]])).rows[0]!.n;
  }

  // -- steps -------------------------------------------------------------------------------------------------------

  async getSteps(key: RunKey): Promise<StepRecord[]> {
    const { rows } = await this.q<{ step_id: string; status: string; attempt: number; state: string }>(
      'getSteps',
      [key.workflow_id, key.instance_id, key.run_id],
    );
    return rows.map((row) => ({ ...row, state: JSON.parse(row.state) as JsonObject }));
  }

  async putSteps(key: RunKey, steps: readonly StepRecord[]): Promise<void> {
    if (steps.length === 0) return;
    // One statement for all; a step given twice keeps its last value (an upsert may not touch a row twice).
    const last = new Map<string, StepRecord>();
    for (const step of steps) last.set(step.step_id, step);
    const list = [...last.values()];
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

  /** Locks the count rows of `keys` for the rest of the transaction and returns how many each has held. */
  private async lockCounts(keys: Iterable<string>): Promise<Map<string, number>> {
    const sorted = [...new Set(keys)].sort();
    const held = new Map<string, number>();
    if (sorted.length === 0) return held;
    for (const row of (await this.q<{ permit_key: string; held: number }>('lockPermitCounts', [sorted])).rows)
      held.set(row.permit_key, row.held);
    return held;
  }

  private async addHeld(counts: Map<string, number>): Promise<void> {
    if (counts.size === 0) return;
    const keys = [...counts.keys()].sort();
    await this.q('addHeld', [keys, keys.map((k) => counts.get(k)!)]);
  }

  /** One row per (holder, key), held or waiting, in one statement; held ones are counted at once. */
  /** One row per (holder, key), held or waiting, in one statement; held ones are counted in the same statement. */
  private async insertPermits(holds: readonly PermitHold[], granted: boolean, now: number): Promise<void> {
    const rows = holds.flatMap(({ holder, permits }) => permits.map((p) => ({ holder, p })));
    if (rows.length === 0) return;
    const columns = [
      rows.map((r) => r.p.key),
      rows.map((r) => r.p.limit),
      rows.map((r) => holderId(r.holder)),
      rows.map((r) => r.holder.workflow_id),
      rows.map((r) => r.holder.instance_id),
      rows.map((r) => r.holder.run_id),
      rows.map((r) => r.holder.step_id),
      rows.map((r) => r.holder.attempt),
    ];
    if (granted) await this.q('holdPermits', [...columns, now]);
    else await this.q('insertPermits', [...columns, false, now]);
  }

  async acquirePermits(
    holder: PermitHolder,
    permits: readonly PermitRequest[],
    now: number,
  ): Promise<boolean> {
    await this.releasePermits([holder]); // asking again replaces what it held or its earlier place in line
    const held = await this.lockCounts(permits.map((p) => p.key));
    const granted = permits.every((p) => (held.get(p.key) ?? 0) < p.limit);
    await this.insertPermits([{ holder, permits }], granted, now);
    return granted;
  }

  /** Locks the keys' count rows first, then reads the line, so "nobody waits" holds until this transaction ends. */
  async permitState(keys: readonly string[]): Promise<Record<string, { held: number; waiting: boolean }>> {
    const held = await this.lockCounts(keys);
    const waiting = new Set(
      keys.length === 0
        ? []
        : (await this.q<{ permit_key: string }>('waitingKeys', [[...new Set(keys)]])).rows.map(
            (r) => r.permit_key,
          ),
    );
    const out: Record<string, { held: number; waiting: boolean }> = {};
    for (const key of keys) out[key] = { held: held.get(key) ?? 0, waiting: waiting.has(key) };
    return out;
  }

  /**
   * The count rows of the keys are locked first, like every other change to a key's permits: a transaction that read
   * a key's state (`permitState`) can trust "nobody waits" until it commits.
   */
  async queueForPermits(holds: readonly PermitHold[], now: number): Promise<string[]> {
    await this.lockCounts(holds.flatMap((h) => h.permits.map((p) => p.key)));
    const released = await this.releasePermits(holds.map((h) => h.holder));
    await this.insertPermits(holds, false, now);
    return released;
  }

  async holdPermits(holds: readonly PermitHold[], now: number): Promise<void> {
    await this.insertPermits(holds, true, now);
  }

  async releasePermits(holders: readonly PermitHolder[]): Promise<string[]> {
    if (holders.length === 0) return [];
    const { rows } = await this.q<{ permit_key: string }>('releaseHolders', [holders.map(holderId)]);
    return rows.map((r) => r.permit_key);
  }

  /**
   * Per key, reads the line a page at a time (each waiter with all its keys), locks the counts of every key involved,
   * and lets waiters in, in order, while all their keys have room; stops at the first that does not fit (first come,
   * first served). A page of grants costs a handful of statements, not a handful per waiter.
   */
  async grantWaiting(keys: readonly string[]): Promise<PermitHolder[]> {
    const out: PermitHolder[] = [];
    for (const key of new Set(keys)) {
      for (;;) {
        const { rows } = await this.q<WaitingRow>('waitingPage', [key, GRANT_PAGE]);
        if (rows.length === 0) break;
        const waiters = new Map<string, { holder: PermitHolder; keys: { key: string; limit: number }[] }>();
        for (const r of rows) {
          let w = waiters.get(r.holder);
          if (!w) {
            const holder = pick(r);
            waiters.set(r.holder, (w = { holder, keys: [] }));
          }
          w.keys.push({ key: r.permit_key, limit: r.permit_limit });
        }
        const held = await this.lockCounts(rows.map((r) => r.permit_key));
        const granted: string[] = [];
        let blocked = false;
        for (const [id, w] of waiters) {
          if (!w.keys.every((k) => (held.get(k.key) ?? 0) < k.limit)) {
            blocked = true;
            break;
          }
          for (const k of w.keys) {
            held.set(k.key, (held.get(k.key) ?? 0) + 1);
          }
          granted.push(id);
        }
        if (granted.length > 0) {
          // Count only the rows still waiting: a holder that left the line meanwhile (its release does not lock
          // the keys it waited for) is neither counted nor reported.
          const { rows: updated } = await this.q<{ holder: string; permit_key: string }>('grantHolders', [
            granted,
          ]);
          const counts = new Map<string, number>();
          const got = new Set<string>();
          for (const r of updated) {
            counts.set(r.permit_key, (counts.get(r.permit_key) ?? 0) + 1);
            got.add(r.holder);
          }
          await this.addHeld(counts);
          for (const id of granted) if (got.has(id)) out.push(waiters.get(id)!.holder);
        }
        if (blocked || waiters.size < GRANT_PAGE) break;
      }
    }
    return out;
  }

  async setTagPermit(tag: string, maxAllowed: number): Promise<void> {
    await this.q('setTagPermit', [tag, maxAllowed]);
  }

  async getTagPermits(tags: readonly string[]): Promise<{ tag: string; max_allowed: number }[]> {
    if (tags.length === 0) return [];
    return (await this.q<{ tag: string; max_allowed: number }>('getTagPermits', [[...tags]])).rows;
  }

  // -- breakpoints -------------------------------------------------------------------------------------------------

  async setBreakpoint(b: Breakpoint): Promise<void> {
    await this.q('setBreakpoint', [b.workflow_id, b.step_id, b.instance_id, b.run_id, b.attempt]);
  }

  async deleteBreakpoint(b: Breakpoint): Promise<number> {
    return (await this.q('deleteBreakpoint', [b.workflow_id, b.step_id, b.instance_id, b.run_id, b.attempt]))
      .count;
  }

  async listBreakpoints(workflowId: string): Promise<Breakpoint[]> {
    return (await this.q<Breakpoint>('listBreakpoints', [workflowId])).rows;
  }

  // -- the work queue ----------------------------------------------------------------------------------------------

  async enqueue(items: readonly NewWorkItem[]): Promise<WorkItem[]> {
    if (items.length === 0) return [];
    for (const item of items) {
      // A lease without an end would never expire, and its item could never be taken over if the owner died.
      if ((item.lease_owner === undefined) !== (item.lease_until === undefined)) {
        throw new IllegalStateError(
          'a work item enqueued already leased needs both lease_owner and lease_until',
        );
      }
    }
    const createdAt = this.clock.now();
    const { rows } = await this.q<{ id: number; ord: number; inserted: boolean }>('enqueue', [
      items.map((i) => i.kind),
      items.map((i) => i.workflow_id),
      items.map((i) => i.instance_id),
      items.map((i) => i.run_id),
      items.map((i) => i.step_id ?? null),
      items.map((i) => i.attempt ?? null),
      items.map((i) => JSON.stringify(i.payload)),
      items.map((i) => i.run_at),
      items.map((i) => i.dedup_key ?? null),
      items.map((i) => i.lease_owner ?? null),
      items.map((i) => i.lease_until ?? null),
      createdAt,
    ]);
    const added: WorkItem[] = [];
    for (const row of rows) {
      if (!row.inserted) continue; // its dedup_key is already queued
      const item = items[row.ord - 1]!;
      added.push(storedWorkItem(item, row.id, createdAt));
      if (item.lease_owner === undefined) this.workAdded = true;
    }
    return added;
  }

  async claim(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    kinds?: readonly WorkItemKind[],
  ): Promise<WorkItem[]> {
    if (limit <= 0 || kinds?.length === 0) return [];
    const leaseUntil = now + leaseMs;
    type Claimed = WorkItemRow & { previous_owner: string | null };
    const kindList = kinds === undefined ? null : [...kinds];
    const expired = (await this.q<Claimed>('claimExpired', [now, limit, owner, leaseUntil, kindList])).rows;
    expired.sort((a, b) => a.id - b.id);
    const unleased: Claimed[] = [];
    for (const kind of kinds ?? ALL_KINDS) {
      const room = limit - expired.length - unleased.length;
      if (room <= 0) break;
      const claimed = (await this.q<Claimed>('claimUnleased', [now, room, owner, leaseUntil, kind])).rows;
      unleased.push(...claimed.sort((a, b) => a.run_at - b.run_at || a.id - b.id));
    }
    const rows = [...expired, ...unleased];
    return rows.map(({ previous_owner, ...row }) => {
      const item: Mutable<WorkItem> = toWorkItem(row);
      if (previous_owner !== null) item.expired_lease_owner = previous_owner;
      return item;
    });
  }

  async extendLeases(owner: string, ids: readonly number[], leaseUntil: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.q<{ id: number }>('extendLeases', [leaseUntil, [...ids], owner]);
    const kept = new Set(rows.map((r) => r.id));
    return ids.filter((id) => kept.has(id));
  }

  async ack(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.q('ack', [[...ids]]);
  }

  async reschedule(id: number, runAt: number, payload?: JsonObject, owner?: string): Promise<void> {
    const text = payload === undefined ? null : JSON.stringify(payload);
    if ((await this.q('reschedule', [runAt, text, id, owner ?? null])).count > 0) this.workAdded = true;
  }

  async deleteStepItems(key: RunKey, stepId: string, attempt: number): Promise<number> {
    return (await this.q('deleteStepItems', [key.workflow_id, key.instance_id, key.run_id, stepId, attempt]))
      .count;
  }

  async deleteRunItems(key: RunKey, kinds?: readonly WorkItemKind[]): Promise<number> {
    if (kinds === undefined)
      return (await this.q('deleteRunItems', [key.workflow_id, key.instance_id, key.run_id])).count;
    if (kinds.length === 0) return 0;
    return (await this.q('deleteRunItemsOfKinds', [key.workflow_id, key.instance_id, key.run_id, [...kinds]]))
      .count;
  }

  async nextRunAt(now: number): Promise<number | undefined> {
    const [row] = (await this.q<{ run_at: number | null }>('nextRunAt', [now])).rows;
    return row?.run_at ?? undefined;
  }

  // -- outbox ------------------------------------------------------------------------------------------------------

  /** Two round trips at most: the acks and the outbox events in one statement, then the new items. */
  async writeBatch(writes: BatchQueueWrites): Promise<WorkItem[]> {
    if (writes.ack.length > 0 || writes.outbox.length > 0) {
      await this.q('ackAndAppend', [
        [...writes.ack],
        writes.outbox.map((e) => e.type),
        writes.outbox.map((e) => JSON.stringify(e.payload)),
        writes.outbox.map((e) => e.create_time),
      ]);
    }
    return this.enqueue(writes.items);
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
}

const ALL_KINDS = Object.values(WorkItemKind);

/** Waiters read per round of `grantWaiting`. */
const GRANT_PAGE = 256;

interface WaitingRow extends PermitHolder {
  holder: string;
  permit_key: string;
  permit_limit: number;
}

function pick(r: WaitingRow): PermitHolder {
  return {
    workflow_id: r.workflow_id,
    instance_id: r.instance_id,
    run_id: r.run_id,
    step_id: r.step_id,
    attempt: r.attempt,
  };
}
