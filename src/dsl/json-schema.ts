import { z } from 'zod';
import { createRequestSchema } from './wire-schema.js';

/**
 * The JSON Schema (draft 2020-12) of the workflow definition format, generated from the same zod schemas that
 * check definitions, so the two cannot drift. Editors use it for completion and inline errors.
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(createRequestSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://baton.dev/schema/workflow.schema.json',
    ...schema,
  };
}
