import type { TimeTrigger } from '../../model/trigger.js';

/**
 * Time-trigger state: one row per workflow whose active version has time triggers that are not disabled
 * (docs/triggers.md). The row is the durable timer's memory: which triggers are subscribed (their uuid, a hash of
 * the definitions), up to when each has been handled (its watermark), and when the next one is due. The work item
 * that wakes the scheduler (kind `trigger`) is kept beside it by the caller, in the same transaction.
 */
export interface TimeTriggerTx {
  getTimeTrigger(workflowId: string): Promise<TimeTriggerState | undefined>;
  /** The rows of these workflows (those that have one), in no particular order. */
  getTimeTriggers(workflowIds: readonly string[]): Promise<TimeTriggerState[]>;
  /** Writes the row of `state.workflow_id` whole, replacing any there was, with `version` 1 more than the old one. */
  putTimeTrigger(state: NewTimeTriggerState): Promise<TimeTriggerState>;
  /** Deletes a workflow's row; false when it had none. */
  deleteTimeTrigger(workflowId: string): Promise<boolean>;
  /**
   * Moves watermarks on after fires (a compare-and-set): each update is written only where the row still has its
   * `expected_version` and `expected_trigger_uuid` (nobody re-subscribed or advanced it since it was read), and its version moves on by one.
   * Returns the workflow ids whose rows were written.
   */
  advanceTimeTriggers(updates: readonly TimeTriggerAdvance[]): Promise<string[]>;
}

/** One subscribed trigger and the last fire time handled for it (epoch ms of the scheduled time). */
export interface TriggerWatermark {
  readonly trigger: TimeTrigger;
  readonly watermark: number;
}

export interface NewTimeTriggerState {
  readonly workflow_id: string;
  /** A stable hash of the active version's `time_triggers` JSON: a change of definitions is a new uuid. */
  readonly trigger_uuid: string;
  readonly triggers: readonly TriggerWatermark[];
  /** When the next fire is due (scheduled time plus its fuzzy delay), epoch ms; undefined when none ever is. */
  readonly next_fire_time?: number;
  /** The last fire that could not start a run (its params failed): what a person needs to see. */
  readonly last_error?: TriggerFireError;
  readonly update_time: number;
}

export interface TimeTriggerState extends NewTimeTriggerState {
  /** 1 on the first write, then 1 more per write: the compare-and-set `advanceTimeTriggers` checks. */
  readonly version: number;
}

export interface TriggerFireError {
  readonly trigger_time: number;
  readonly message: string;
}

export interface TimeTriggerAdvance {
  readonly workflow_id: string;
  readonly expected_version: number;
  /**
   * The subscription it was read from: a row deleted and subscribed again (deactivated, then a version with other
   * triggers activated) starts at version 1 again, so the version alone could let a stale advance through.
   */
  readonly expected_trigger_uuid: string;
  readonly triggers: readonly TriggerWatermark[];
  readonly next_fire_time?: number;
  /** Replaces the stored error when given; the stored one stays otherwise. */
  readonly last_error?: TriggerFireError;
  readonly update_time: number;
}
