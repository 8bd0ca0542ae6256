import type { Properties } from '../../model/definition.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';
import type { Tag } from '../../model/tag.js';
import type {
  Breakpoint,
  BreakpointFilter,
  ForwardPageRequest,
  InstanceKey,
  ListingTx,
  Page,
  PageRequest,
  PropertiesSnapshot,
  RunRecord,
  TagPermit,
  WorkflowChangeTx,
  WorkflowRecord,
  WorkflowTimelineEntry,
  WorkflowVersionRecord,
} from '../port.js';
import * as changes from '../workflow-changes.js';
import type { TxContext } from './tx-context.js';
import * as l from './tx-listings.js';
import { changeStatements } from './tx-workflows.js';

/** The listing and workflow-change areas of a SQLite transaction (`SqliteTx` adds the rest). */
export abstract class SqliteListingTx implements ListingTx, WorkflowChangeTx {
  /** The transaction's context; throws once it has ended. */
  protected abstract c(): TxContext;

  async listWorkflows(page: PageRequest<string>): Promise<Page<WorkflowRecord>> {
    return l.listWorkflows(this.c(), page);
  }
  async listVersions(workflowId: string, page: PageRequest<number>): Promise<Page<WorkflowVersionRecord>> {
    return l.listVersions(this.c(), workflowId, page);
  }
  async listInstances(
    workflowId: string,
    page: PageRequest<number>,
    statuses?: readonly WorkflowInstanceStatus[],
  ): Promise<Page<RunRecord>> {
    return l.listInstances(this.c(), workflowId, page, statuses);
  }
  async listRuns(instance: InstanceKey, page: PageRequest<number>): Promise<Page<RunRecord>> {
    return l.listRuns(this.c(), instance, page);
  }
  async countInstancesByStatus(workflowId: string): Promise<Partial<Record<WorkflowInstanceStatus, number>>> {
    return l.countInstancesByStatus(this.c(), workflowId);
  }
  async listTagPermits(page: ForwardPageRequest<string>): Promise<Page<TagPermit>> {
    return l.listTagPermits(this.c(), page);
  }
  async findBreakpoints(
    filter: BreakpointFilter,
    page: ForwardPageRequest<Breakpoint>,
  ): Promise<Page<Breakpoint>> {
    return l.findBreakpoints(this.c(), filter, page);
  }

  async activateVersion(
    workflowId: string,
    versionId: number,
    author: string,
    now: number,
  ): Promise<WorkflowRecord> {
    return changes.activateVersion(changeStatements(this.c()), workflowId, versionId, author, now);
  }
  async deactivateWorkflow(workflowId: string, author: string, now: number): Promise<WorkflowRecord> {
    return changes.deactivateWorkflow(changeStatements(this.c()), workflowId, author, now);
  }
  async updateProperties(
    workflowId: string,
    delta: Properties,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.updateProperties(changeStatements(this.c()), workflowId, delta, author, now);
  }
  async addWorkflowTag(
    workflowId: string,
    tag: Tag,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.addWorkflowTag(changeStatements(this.c()), workflowId, tag, author, now);
  }
  async removeWorkflowTag(
    workflowId: string,
    tagName: string,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.removeWorkflowTag(changeStatements(this.c()), workflowId, tagName, author, now);
  }
  async getPropertiesSnapshot(
    workflowId: string,
    snapshotId: number | 'latest',
  ): Promise<PropertiesSnapshot | undefined> {
    return l.getPropertiesSnapshot(this.c(), workflowId, snapshotId);
  }
  async getWorkflowTimeline(workflowId: string): Promise<WorkflowTimelineEntry[]> {
    return l.getWorkflowTimeline(this.c(), workflowId);
  }
  async markWorkflowDeleted(workflowId: string, now: number): Promise<WorkflowRecord> {
    return changes.markWorkflowDeleted(changeStatements(this.c()), workflowId, now);
  }
  async deleteWorkflowBatch(
    workflowId: string,
    limit: number,
  ): Promise<{ more: boolean; permitKeys: string[] }> {
    return l.deleteWorkflowBatch(this.c(), workflowId, limit);
  }
  async deleteTagPermit(tag: string): Promise<boolean> {
    return l.deleteTagPermit(this.c(), tag);
  }
}
