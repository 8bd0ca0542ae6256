import { parseDefinition } from '../../src/dsl/parse.js';
import type { WorkflowCreateRequest } from '../../src/model/definition.js';
import type { JsonObject } from '../../src/model/json.js';
import type { Clock } from '../../src/sel/index.js';
import type { NewRun, NewWorkItem, Store, StoreTx } from '../../src/store/port.js';

/** The time the conformance suite expects the store under test to read from its clock. */
export const T0 = 1_700_000_000_000;
export const conformanceClock: Clock = { now: () => T0 };

export type GetStore = () => Store;

/** Shorthand for one transaction against the store under test. */
export function inTx<T>(store: GetStore, fn: (tx: StoreTx) => Promise<T>): Promise<T> {
  return store().transact(fn);
}

/** A valid definition through the real parser, so the store sees the model the engine will give it. */
export function definition(json: JsonObject): WorkflowCreateRequest {
  const result = parseDefinition(json, { requireOwner: false }); // later versions may leave the owner out
  if (!result.workflow) throw new Error(`fixture definition is invalid: ${JSON.stringify(result.issues)}`);
  return result.workflow;
}

export function simpleDefinition(
  id: string,
  properties: JsonObject = { owner: 'alice' },
  extra: JsonObject = {},
): WorkflowCreateRequest {
  return definition({ properties, workflow: { id, steps: [{ step: { id: 'a', type: 'NoOp' } }] }, ...extra });
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    workflow_id: 'wf',
    instance_id: 1,
    run_id: 1,
    version_id: 1,
    request_id: `req-${overrides.workflow_id ?? 'wf'}-${overrides.instance_id ?? 1}-${overrides.run_id ?? 1}`,
    status: 'CREATED',
    correlation_id: 'corr-1',
    initiator: { type: 'MANUAL', user: { name: 'alice' } },
    state: { params: { day: 20240101, list: [1, 'two', null, { deep: true }] }, steps: {} },
    create_time: T0 - 1000,
    ...overrides,
  };
}

export function newItem(overrides: Partial<NewWorkItem> = {}): NewWorkItem {
  return {
    kind: 'step',
    workflow_id: 'wf',
    instance_id: 1,
    run_id: 1,
    payload: { action: 'start' },
    run_at: T0,
    ...overrides,
  };
}

/** Waits for a condition without sleeping a fixed time: checks after each turn of the event loop until a deadline. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
