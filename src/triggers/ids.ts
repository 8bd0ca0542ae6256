import { createHash } from 'node:crypto';
import type { TimeTrigger } from '../model/trigger.js';
import { triggerKey } from './fire-times.js';

/**
 * A name-based UUID (version 3, MD5 of the UTF-8 text), as Java's `UUID.nameUUIDFromBytes`: the same name always
 * gives the same id, in every process.
 */
export function nameUuid(name: string): string {
  const b = createHash('md5').update(name, 'utf8').digest();
  b[6] = (b[6]! & 0x0f) | 0x30;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The subscription's id: a hash of the version's time triggers, so a change of any of them is a new id. */
export function timeTriggerUuid(triggers: readonly TimeTrigger[]): string {
  return nameUuid(`[${triggers.map(triggerKey).join(',')}]`);
}

/**
 * The request id of one fire (REFERENCE §7.1): from the workflow, the trigger and the scheduled second, so a fire
 * started again (after a crash, or by a second scheduler) is DUPLICATED, never a second run.
 */
export function fireRequestId(workflowId: string, trigger: TimeTrigger, time: number): string {
  return nameUuid(`${workflowId}:${triggerKey(trigger)}:${Math.floor(time / 1000)}`);
}
