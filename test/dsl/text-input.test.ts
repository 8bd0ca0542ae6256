// Definition text as people (and hostile inputs) write it: deep nesting is refused with a position before any
// recursive parser sees it, and .json files are read as JSON, not YAML.
import { describe, expect, it } from 'vitest';
import { parseDefinition, parseDefinitionText } from '../../src/dsl/index.js';

const DEPTH = 900;
const deepList = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;

const jsonWith = (value: string) =>
  `{\n  "properties": {"owner": "o"},\n  "workflow": {\n    "id": "w",\n    "params": {"m": {"type": "MAP", "value": {"x": ${value}}}},\n    "steps": [{"step": {"id": "s", "type": "NoOp"}}]\n  }\n}\n`;

describe('a definition nested 900 deep', () => {
  it('in a .json file is NESTED_TOO_DEEP at the bracket past the limit', () => {
    const { issues } = parseDefinitionText(jsonWith(deepList), { file: 'deep.json' });
    // {"workflow": {"params": {"m": {"value": {"x": [ ... : the root map is level 1, the list under x level 6
    expect(issues).toEqual([
      {
        file: 'deep.json',
        code: 'NESTED_TOO_DEEP',
        path: [],
        message: 'this list or map is nested 129 levels deep; the limit is 128 (valueDepth)',
        line: 5,
        column: 52 + 123,
      },
    ]);
  });

  it('in a .yaml file too, in block and flow style', () => {
    const flow = `properties: {owner: o}\nworkflow:\n  id: w\n  params:\n    m: {type: MAP, value: {x: ${deepList}}}\n`;
    expect(parseDefinitionText(flow, { file: 'deep.yaml' }).issues).toMatchObject([
      { code: 'NESTED_TOO_DEEP', line: 5, column: 31 + 123 },
    ]);
    const block = `properties: {owner: o}\nworkflow:\n  id: w\n  params:\n    m:\n      type: MAP\n      value:\n        x:\n          ${'- '.repeat(DEPTH)}1\n`;
    expect(parseDefinitionText(block, { file: 'deep.yaml' }).issues).toMatchObject([
      { code: 'NESTED_TOO_DEEP', line: 9, column: 11 + 2 * 123 },
    ]);
  });

  it('in a YAML DSL file too', () => {
    const dsl = `Workflow:\n  id: w\n  owner: o\n  jobs:\n    - job:\n        id: s\n        type: NoOp\n        m: ${deepList}\n`;
    expect(parseDefinitionText(dsl, { file: 'deep.yaml' }).issues).toMatchObject([
      { code: 'NESTED_TOO_DEEP', line: 8 },
    ]);
  });

  it('in memory (an API body, a builder) is one issue, not a stack overflow', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    const result = parseDefinition({
      properties: { owner: 'o' },
      workflow: {
        id: 'w',
        params: { m: { type: 'MAP', value: { x: value } } },
        steps: [{ step: { id: 's', type: 'NoOp' } }],
      },
    });
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'NESTED_TOO_DEEP',
        path: ['workflow', 'params', 'm', 'value', 'x', 0, 0, 0],
      }),
    ]);
  });

  it('a YAML alias that contains itself is too deep, not endless', () => {
    const text = 'properties: {owner: o}\nworkflow: &w\n  id: w\n  again: [*w]\n';
    expect(parseDefinitionText(text, { file: 'a.yaml' }).issues).toMatchObject([
      { code: 'NESTED_TOO_DEEP', line: 4 },
    ]);
  });
});

describe('a .json file', () => {
  const valid = `{\n  "properties": {"owner": "o"},\n  "workflow": {\n    "id": "w",\n    "steps": [\n      {"step": {"id": "s", "type": "NoOp"}}\n    ]\n  }\n}\n`;

  it('is valid JSON as before', () => {
    expect(parseDefinitionText(valid, { file: 'w.json' })).toMatchObject({ format: 'json', issues: [] });
  });

  it('refuses a trailing comma, in JSON words, at its line and column', () => {
    const text = valid.replace('"NoOp"}}\n', '"NoOp"}},\n');
    expect(parseDefinitionText(text, { file: 'w.json' }).issues).toEqual([
      {
        file: 'w.json',
        code: 'SYNTAX',
        path: [],
        message: 'a trailing comma before "]": JSON allows no comma after the last item',
        line: 7,
        column: 5,
      },
    ]);
  });

  it('refuses comments and YAML syntax', () => {
    expect(
      parseDefinitionText(valid.replace('{\n', '{\n  // note\n'), { file: 'w.json' }).issues,
    ).toMatchObject([
      { code: 'SYNTAX', message: 'JSON: comments are not allowed in JSON', line: 2, column: 3 },
    ]);
    expect(parseDefinitionText('{workflow: {id: w}}', { file: 'w.json' }).issues[0]).toMatchObject({
      code: 'SYNTAX',
      message: 'JSON: unexpected "workflow": JSON writes keys and text in double quotes',
      line: 1,
      column: 2,
    });
  });

  it('refuses a key given twice, at the second one', () => {
    const text = valid.replace('"id": "w",', '"id": "w",\n    "id": "v",');
    expect(parseDefinitionText(text, { file: 'w.json' }).issues).toMatchObject([
      { code: 'SYNTAX', message: 'the key "id" appears twice in one map', line: 5, column: 5 },
    ]);
  });

  it('points validation issues at the value in the file', () => {
    const text = valid.replace('"type": "NoOp"', '"type": "Nope"');
    expect(parseDefinitionText(text, { file: 'w.json' }).issues).toMatchObject([
      { code: 'INVALID_VALUE', path: ['workflow', 'steps', 0, 'step', 'type'], line: 6, column: 36 },
    ]);
  });

  it('may start with a byte order mark', () => {
    expect(parseDefinitionText(`\uFEFF${valid}`, { file: 'w.json' })).toMatchObject({
      format: 'json',
      issues: [],
    });
  });

  it('may hold the YAML DSL written as JSON', () => {
    const dsl = '{"Workflow": {"id": "w", "owner": "o", "jobs": [{"job": {"id": "s", "type": "NoOp"}}]}}';
    expect(parseDefinitionText(dsl, { file: 'w.json' })).toMatchObject({ format: 'maestro-dsl', issues: [] });
  });

  it('is still YAML when it is a .yaml file that starts with a brace', () => {
    const text = '{properties: {owner: o}, workflow: {id: w, steps: [{step: {id: s, type: NoOp}}]}}';
    expect(parseDefinitionText(text, { file: 'w.yaml' })).toMatchObject({ format: 'yaml', issues: [] });
  });
});
