import type { Workflow } from '../model/definition.js';
import { NotFoundError } from '../model/errors.js';
import type { StoreTx, VersionKey } from '../store/port.js';

/** Definitions kept at most (one per workflow version in use; loops add one per attempt). */
const DEFINITIONS_MAX = 10_000;

/**
 * An engine's parsed workflow definitions, by workflow and version (versions never change once stored, so an entry
 * is never stale; a deleted workflow's are dropped with `clear`).
 */
export function createDefinitionCache() {
  const definitions = new Map<string, Workflow>();
  // Each loop attempt stores an inline workflow of its own: the cache starts over past this many entries.
  const remember = (key: string, workflow: Workflow) => {
    if (definitions.size >= DEFINITIONS_MAX) definitions.clear();
    definitions.set(key, workflow);
  };
  const idOf = (workflowId: string, versionId: number) => `${workflowId}@${versionId}`;
  return {
    /** The definition of a version, read in `tx` when it is not cached. */
    async definitionOf(tx: StoreTx, workflowId: string, versionId: number): Promise<Workflow> {
      let workflow = definitions.get(idOf(workflowId, versionId));
      if (!workflow) {
        const version = await tx.getWorkflowVersion(workflowId, versionId);
        if (!version) throw new NotFoundError(`workflow ${workflowId} has no version ${versionId}`);
        workflow = version.definition.workflow;
        remember(idOf(workflowId, versionId), workflow);
      }
      return workflow;
    },
    /** Reads the definitions of these versions that are not cached yet, in one go. */
    async prefetch(tx: StoreTx, keys: readonly VersionKey[]): Promise<void> {
      const missing = keys.filter((k) => !definitions.has(idOf(k.workflow_id, k.version_id)));
      if (missing.length === 0) return;
      for (const version of await tx.getWorkflowVersions(missing))
        remember(idOf(version.workflow_id, version.version_id), version.definition.workflow);
    },
    cached(workflowId: string, versionId: number): Workflow | undefined {
      return definitions.get(idOf(workflowId, versionId));
    },
    clear(): void {
      definitions.clear();
    },
  };
}
