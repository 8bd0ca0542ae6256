import type { TagNamespace } from './enums.js';
import type { JsonValue } from './json.js';

/** A tag on a workflow, step or param; tags also name tag permits (shared concurrency limits). */
export interface Tag {
  readonly name: string;
  readonly namespace?: TagNamespace;
  readonly permit?: JsonValue;
  readonly attributes?: { readonly [key: string]: JsonValue };
}
