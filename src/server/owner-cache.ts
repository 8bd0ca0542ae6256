import type { Clock } from '../engine/clock.js';
import type { Store } from '../store/port.js';

/** How long an owner read for the owner rule is trusted (a change of owner takes at most this long elsewhere). */
export const OWNER_CACHE_MS = 5_000;
/** Beyond this many workflows the cache starts afresh rather than grow. */
const MAX_ENTRIES = 10_000;

export interface OwnerCache {
  /** The workflow's owner (`properties.owner.name`); undefined when it has none or does not exist. */
  ownerOf(workflowId: string): Promise<string | undefined>;
  /** Forgets one workflow's owner (after a change through this process), or every owner. */
  forget(workflowId?: string): void;
}

/** Owners of workflows, read from the store and kept for `OWNER_CACHE_MS` (a cache only: the store decides). */
export function createOwnerCache(deps: { readonly store: Store; readonly clock: Clock }): OwnerCache {
  const entries = new Map<string, { owner: string | undefined; until: number }>();
  return {
    async ownerOf(workflowId) {
      const now = deps.clock.now();
      const hit = entries.get(workflowId);
      if (hit && hit.until > now) return hit.owner;
      const workflow = await deps.store.transact((tx) => tx.getWorkflow(workflowId));
      const owner = workflow?.properties.owner?.name;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(workflowId, { owner, until: now + OWNER_CACHE_MS });
      return owner;
    },
    forget(workflowId) {
      if (workflowId === undefined) entries.clear();
      else entries.delete(workflowId);
    },
  };
}
