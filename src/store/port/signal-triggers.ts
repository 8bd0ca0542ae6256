import type { JsonObject } from '../../model/json.js';

/**
 * Signal trigger subscriptions (REFERENCE §7.2): one row per signal trigger of a workflow's active version, with a
 * checkpoint per signal name (the last seq id consumed, or seen when subscribing, so only later signals count) and
 * an index from signal name to the triggers naming it. Written by the transaction that changes the active version;
 * a match locks the trigger's row, so two schedulers never consume the same signals twice.
 */
export interface SignalTriggerTx {
  /**
   * Makes `triggers` the workflow's subscriptions: a row whose uuid is kept keeps its checkpoints (the same trigger
   * in a new version goes on where it was), a new uuid is stored with the checkpoints given, the others are deleted
   * with their name index entries. An empty list removes them all.
   */
  replaceSignalTriggers(workflowId: string, triggers: readonly NewSignalTrigger[]): Promise<void>;
  /** The subscriptions that name a signal, by workflow and uuid (the name index). */
  signalTriggersOf(name: string): Promise<SignalTriggerKey[]>;
  /**
   * Reads one subscription and locks it until the transaction ends (PostgreSQL: FOR UPDATE; another scheduler's
   * match of the same trigger waits); undefined when it is gone.
   */
  lockSignalTrigger(key: SignalTriggerKey): Promise<SignalTriggerRecord | undefined>;
  /** Stores new checkpoints for a subscription (consumed signals), merged over the stored ones. */
  advanceSignalTrigger(key: SignalTriggerKey, checkpoints: Readonly<Record<string, number>>): Promise<void>;
  /** A workflow's subscriptions, by uuid. */
  listSignalTriggers(workflowId: string): Promise<SignalTriggerRecord[]>;
}

export interface SignalTriggerKey {
  readonly workflow_id: string;
  readonly trigger_uuid: string;
}

export interface NewSignalTrigger {
  readonly trigger_uuid: string;
  /** The trigger as the definition has it (`definitions`, `condition`, `dedup_expr`, `params`). */
  readonly definition: JsonObject;
  /** Per signal name of the trigger: the last seq id already consumed (or there when it subscribed). */
  readonly checkpoints: Readonly<Record<string, number>>;
}

export interface SignalTriggerRecord extends NewSignalTrigger, SignalTriggerKey {}
