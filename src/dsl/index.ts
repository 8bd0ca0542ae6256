export { parseDefinition, parseDefinitionText, byPosition, isJobTemplateRequest } from './parse.js';
export type { DefinitionFormat, ParseOptions, ParseResult } from './parse.js';
export { createRequestToJson, jobTemplateRequestToJson, stepToJson, workflowToJson } from './to-json.js';
export { workflowJsonSchema } from './json-schema.js';
export { buildGraph } from './graph/dag.js';
export type { Graph, GraphEdge, GraphNode } from './graph/dag.js';
export { toDot, toMermaid } from './graph/render.js';
export { compileCron, isValidTimeZone } from './cron.js';
export { IssueCode } from './validate/index.js';
