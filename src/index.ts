/**
 * Baton's package entry: the definition model, the parsers and validator, and the TypeScript builder.
 *
 * @example
 * import { parseDefinitionText } from 'baton';
 * const { workflow, issues } = parseDefinitionText(yamlText, { file: 'daily.yaml' });
 */
export * from './model/index.js';
export * from './dsl/index.js';
export * from './dsl/builder/index.js';
