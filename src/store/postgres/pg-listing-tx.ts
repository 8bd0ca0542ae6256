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
import type { Query } from './query.js';

import * as l from './pg-listings.js';
import { changeStatements } from './pg-workflows.js';

/** The listing and workflow-change areas of a PostgreSQL transaction (`PgTx` adds the rest). */
export abstract class PgListingTx implements ListingTx, WorkflowChangeTx {
  /** Runs one named statement in the transaction. */
  protected abstract readonly query: Query;

  async listWorkflows(page: PageRequest<string>): Promise<Page<WorkflowRecord>> {
    return l.listWorkflows(this.query, page);
  }
  async listVersions(workflowId: string, page: PageRequest<number>): Promise<Page<WorkflowVersionRecord>> {
    return l.listVersions(this.query, workflowId, page);
  }
  async listInstances(
    workflowId: string,
    page: PageRequest<number>,
    statuses?: readonly WorkflowInstanceStatus[],
  ): Promise<Page<RunRecord>> {
    return l.listInstances(this.query, workflowId, page, statuses);
  }
  async listRuns(instance: InstanceKey, page: PageRequest<number>): Promise<Page<RunRecord>> {
    return l.listRuns(this.query, instance, page);
  }
  async countInstancesByStatus(workflowId: string): Promise<Partial<Record<WorkflowInstanceStatus, number>>> {
    return l.countInstancesByStatus(this.query, workflowId);
  }
  async listTagPermits(page: ForwardPageRequest<string>): Promise<Page<TagPermit>> {
    return l.listTagPermits(this.query, page);
  }
  async findBreakpoints(
    filter: BreakpointFilter,
    page: ForwardPageRequest<Breakpoint>,
  ): Promise<Page<Breakpoint>> {
    return l.findBreakpoints(this.query, filter, page);
  }

  async activateVersion(
    workflowId: string,
    versionId: number,
    author: string,
    now: number,
  ): Promise<WorkflowRecord> {
    return changes.activateVersion(changeStatements(this.query), workflowId, versionId, author, now);
  }
  async deactivateWorkflow(workflowId: string, author: string, now: number): Promise<WorkflowRecord> {
    return changes.deactivateWorkflow(changeStatements(this.query), workflowId, author, now);
  }
  async updateProperties(
    workflowId: string,
    delta: Properties,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.updateProperties(changeStatements(this.query), workflowId, delta, author, now);
  }
  async addWorkflowTag(
    workflowId: string,
    tag: Tag,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.addWorkflowTag(changeStatements(this.query), workflowId, tag, author, now);
  }
  async removeWorkflowTag(
    workflowId: string,
    tagName: string,
    author: string,
    now: number,
  ): Promise<PropertiesSnapshot> {
    return changes.removeWorkflowTag(changeStatements(this.query), workflowId, tagName, author, now);
  }
  async getPropertiesSnapshot(
    workflowId: string,
    snapshotId: number | 'latest',
  ): Promise<PropertiesSnapshot | undefined> {
    return l.getPropertiesSnapshot(this.query, workflowId, snapshotId);
  }
  async getWorkflowTimeline(workflowId: string): Promise<WorkflowTimelineEntry[]> {
    return l.getWorkflowTimeline(this.query, workflowId);
  }
  async markWorkflowDeleted(workflowId: string, now: number): Promise<WorkflowRecord> {
    return changes.markWorkflowDeleted(changeStatements(this.query), workflowId, now);
  }
  async deleteWorkflowBatch(
    workflowId: string,
    limit: number,
  ): Promise<{ more: boolean; permitKeys: string[] }> {
    return l.deleteWorkflowBatch(this.query, workflowId, limit);
  }
  async deleteTagPermit(tag: string): Promise<boolean> {
    return l.deleteTagPermit(this.query, tag);
  }
}
