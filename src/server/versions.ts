import type { VersionSelector } from '../engine/start-run.js';
import { NotFoundError, ValidationError } from '../model/errors.js';
import type { StoreTx, WorkflowRecord, WorkflowVersionRecord } from '../store/port.js';

export type { VersionSelector };

/** A version in a path: a number, `latest`, `active`, or `default` (the active one, else the latest). */
export function parseVersion(text: string): VersionSelector {
  const lower = text.toLowerCase();
  if (lower === 'latest' || lower === 'active' || lower === 'default') return lower;
  if (/^[1-9][0-9]{0,15}$/.test(text)) return Number(text);
  throw new ValidationError('bad version', [
    {
      code: 'INVALID_VALUE',
      path: ['version'],
      message: `'${text.slice(0, 40)}' is not a version: give a number, latest, active or default`,
    },
  ]);
}

/** The workflow and the version a selector names; NotFoundError saying which is missing. */
export async function resolveVersion(
  tx: StoreTx,
  workflowId: string,
  selector: VersionSelector,
): Promise<{ workflow: WorkflowRecord; version: WorkflowVersionRecord }> {
  const workflow = await tx.getWorkflow(workflowId);
  if (!workflow) throw new NotFoundError(`workflow '${workflowId}' does not exist`);
  const id =
    selector === 'latest'
      ? workflow.latest_version_id
      : selector === 'active'
        ? workflow.active_version_id
        : selector === 'default'
          ? workflow.active_version_id || workflow.latest_version_id
          : selector;
  if (id === 0) throw new NotFoundError(`workflow '${workflowId}' has no active version`);
  const version = await tx.getWorkflowVersion(workflowId, id);
  if (!version) throw new NotFoundError(`workflow '${workflowId}' has no version ${id}`);
  return { workflow, version };
}
