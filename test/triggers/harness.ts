import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseDefinition } from '../../src/dsl/parse.js';
import type { FakeClock } from '../../src/engine/clock.js';
import { plainParams } from '../../src/engine/param-evaluator.js';
import type { JsonObject } from '../../src/model/json.js';
import { buildApi } from '../../src/server/app.js';
import { openBaton, type Baton } from '../../src/server/compose.js';
import type { RunRecord, TimeTriggerState } from '../../src/store/port.js';
import type { CatchUp } from '../../src/triggers/catch-up.js';

export { readSample as sample } from '../support/shared.js';

/**
 * One Baton process on a SQLite file and a fake clock, with its API for the admin actions: a scheduler (the
 * `schedule` claim) unless `scheduler: false`, as a server stopped for a while would be.
 */
export class TriggerHarness {
  private constructor(
    readonly baton: Baton,
    readonly app: FastifyInstance,
    readonly clock: FakeClock,
  ) {}

  static async open(
    db: string,
    clock: FakeClock,
    options: { scheduler?: boolean; catchUp?: CatchUp } = {},
  ): Promise<TriggerHarness> {
    const baton = await openBaton({
      db,
      clock,
      workers: 4,
      claims: options.scheduler === false ? ['decide', 'run'] : ['decide', 'run', 'schedule'],
      ...(options.catchUp ? { catchUp: options.catchUp } : {}),
    });
    const app = await buildApi({ engine: baton.engine, store: baton.store, clock }, {});
    baton.engine.start();
    return new TriggerHarness(baton, app, clock);
  }

  async create(definition: JsonObject): Promise<void> {
    const parsed = parseDefinition(definition);
    if (!parsed.workflow) throw new Error(JSON.stringify(parsed.issues));
    await this.baton.engine.createWorkflow(parsed.workflow);
  }

  async api(method: 'PUT' | 'POST' | 'GET', url: string, payload?: JsonObject): Promise<JsonObject> {
    const reply = await this.app.inject({ method, url: `/api/v3${url}`, ...(payload ? { payload } : {}) });
    if (reply.statusCode >= 300) throw new Error(`${method} ${url}: ${reply.statusCode} ${reply.body}`);
    return reply.json<JsonObject>();
  }

  state(workflowId: string): Promise<TimeTriggerState | undefined> {
    return this.baton.store.transact((tx) => tx.getTimeTrigger(workflowId));
  }

  /** The instances of a workflow, oldest first. */
  async instances(workflowId: string): Promise<RunRecord[]> {
    const page = await this.baton.store.transact((tx) => tx.listInstances(workflowId, { first: 1000 }));
    return [...page.rows].reverse();
  }

  async params(run: RunRecord): Promise<JsonObject> {
    const loaded = await this.baton.engine.getRun(run);
    return plainParams(loaded?.state.params);
  }

  /**
   * Moves the fake clock on and waits (real time, with a deadline) until the scheduler has handled every workflow
   * that was due: each has no trigger state any more or its next fire after the new time.
   */
  async advance(ms: number, workflowIds: readonly string[]): Promise<void> {
    this.clock.advance(ms);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await this.baton.store.transact((tx) => tx.getTimeTriggers(workflowIds));
      if (states.every((s) => s.next_fire_time === undefined || s.next_fire_time > this.clock.now())) return;
      if (Date.now() > deadline) throw new Error(`the scheduler did not handle ${workflowIds.join(', ')}`);
      await new Promise((r) => setTimeout(r, 5));
      // A wake the engine set while the clock moved (its claim read the time before) is due now: let it fire.
      this.clock.advance(0);
    }
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.baton.close({ keepDatabase: true });
  }
}

/** A temporary folder for SQLite files, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-triggers-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
