import { describe, expect, it } from 'vitest';
import { LineCounter, parse, parseDocument } from 'yaml';
import { convertMaestroDsl, convertMaestroDslText, isMaestroDsl } from './index.js';
import { DslIssueCode } from './issue-codes.js';

const SAMPLE = `Workflow:
  id: wf
  name: Workflow
  description: about it
  owner: tester
  run_strategy: last_only
  workflow_concurrency: 1
  tags: [a]
  timeout: 2h
  criticality: LOW
  p: 1
  jobs:
    - job:
        id: a
        type: NoOp
        transition:
          - IF p > 0 THEN b
    - job:
        id: b
        type: NoOp
        q: x
`;

describe('workflow level', () => {
  it('sends owner and run strategy to properties, with the DSL’s step_concurrency', () => {
    const { request, issues } = convertMaestroDslText(SAMPLE);
    expect(issues).toEqual([]);
    expect(request?.['properties']).toEqual({
      owner: 'tester',
      run_strategy: { rule: 'last_only', workflow_concurrency: 1 },
      step_concurrency: 20,
    });
    expect(request?.['workflow']).toMatchObject({
      id: 'wf',
      name: 'Workflow',
      description: 'about it',
      tags: ['a'],
      timeout: '2h',
      criticality: 'LOW',
      params: { p: { value: 1, type: 'LONG' } },
    });
  });

  it('reads workflow_concurrency alone as Maestro’s number form (PARALLEL with that many)', () => {
    const { request } = convertMaestroDslText('workflow:\n  id: w\n  workflow_concurrency: 4\n  jobs: []\n');
    expect(request?.['properties']).toEqual({ run_strategy: 4, step_concurrency: 20 });
  });
});

describe('untrusted input never throws and is reported', () => {
  it.each([
    ['an empty document', '', 1, 1],
    ['a list root', '- a\n- b\n', 1, 1],
    ['a scalar root', 'hello\n', 1, 1],
    ['a map without Workflow', 'steps: []\n', 1, 1],
  ])('%s', (_what, text, line, column) => {
    const { request, issues } = convertMaestroDslText(text);
    expect(request).toBeUndefined();
    expect(issues).toContainEqual(
      expect.objectContaining({ code: DslIssueCode.rootMissingWorkflow, line, column }),
    );
  });

  it('reports stray root keys, both spellings of Workflow, and a non-map Workflow', () => {
    const r = convertMaestroDslText('Workflow: [x]\nworkflow: {jobs: []}\nextra: 1\n');
    expect(r.issues.map((i) => [i.code, i.line, i.column])).toEqual([
      [DslIssueCode.notAMap, 1, 11],
      [DslIssueCode.rootDuplicateWorkflow, 2, 1],
      [DslIssueCode.rootUnknownKey, 3, 1],
    ]);
  });

  it('reports settings of the wrong shape where they are written', () => {
    const text = [
      'Workflow:',
      '  id: wf',
      '  name: [not, text]',
      '  tags: just-one',
      '  ? [complex, key]',
      '  : 1',
      '  jobs:',
      '    - foreach: {id: f, params: {i: [1]}, dag: sequential}',
      '    - job: {id: a, type: {x: 1}, tags: {a: b}}',
      '',
    ].join('\n');
    expect(convertMaestroDslText(text).issues.map((i) => [i.code, i.line, i.column])).toEqual([
      [DslIssueCode.notAString, 3, 9],
      [DslIssueCode.notAList, 4, 9],
      [DslIssueCode.badKey, 5, 5],
      [DslIssueCode.dagInvalid, 8, 42],
      [DslIssueCode.notAString, 9, 26],
      [DslIssueCode.notAList, 9, 40],
    ]);
  });

  it('reports YAML syntax errors with their position and still converts what it can', () => {
    const r = convertMaestroDslText('Workflow:\n  id: wf\n  id: again\n  jobs: []\n');
    expect(r.issues).toEqual([
      expect.objectContaining({ code: DslIssueCode.yamlSyntax, line: 3, column: 3 }),
    ]);
    expect(r.request?.['workflow']).toMatchObject({ id: 'wf' });
  });

  it('stops expanding an alias bomb', () => {
    // Ten maps of ten maps ... nine levels deep: 10^9 nodes once expanded, as params and as (plain) tags.
    const levels = ['a: &a {x0: 1, x1: 1, x2: 1, x3: 1, x4: 1, x5: 1, x6: 1, x7: 1, x8: 1, x9: 1}'];
    for (let i = 1; i < 9; i++) {
      const ref = i === 1 ? '*a' : `*b${i - 1}`;
      levels.push(`b${i}: &b${i} {${Array.from({ length: 10 }, (_, k) => `k${k}: ${ref}`).join(', ')}}`);
    }
    for (const tail of ['  jobs: []', '  tags: [*b8]\n  jobs: []']) {
      const text = `Workflow:\n  id: wf\n  ${levels.join('\n  ')}\n${tail}\n`;
      const r = convertMaestroDslText(text);
      expect(r.issues.some((i) => i.code === DslIssueCode.yamlSyntax && i.message.includes('alias'))).toBe(
        true,
      );
    }
  });

  it('follows ordinary aliases', () => {
    const r = convertMaestroDslText('Workflow:\n  id: wf\n  a: &v [1, 2]\n  b: *v\n  jobs: []\n');
    expect(r.issues).toEqual([]);
    expect(r.request?.['workflow']).toMatchObject({ params: { b: { value: [1, 2], type: 'LONG_ARRAY' } } });
  });

  it('applies YAML merge keys, the map’s own keys winning', () => {
    const text = [
      'Workflow:',
      '  id: wf',
      '  jobs:',
      '    - job: &base {id: a, type: Sleep, sleep_seconds: 1, failure_mode: ignore_failure}',
      '    - job: {<<: *base, id: b, sleep_seconds: 2}',
      '',
    ].join('\n');
    const r = convertMaestroDslText(text);
    expect(r.issues).toEqual([]);
    expect((r.request?.['workflow'] as { steps: unknown[] }).steps[1]).toEqual({
      step: {
        id: 'b',
        type: 'Sleep',
        failure_mode: 'ignore_failure',
        params: { sleep_seconds: { value: 2, type: 'LONG' } },
      },
    });
  });

  it('reports a workflow without jobs, recognising a JSON create request', () => {
    const r = convertMaestroDslText('workflow:\n  id: wf\n  steps: []\n');
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: DslIssueCode.workflowNoJobs,
        line: 1,
        column: 1,
        message: expect.stringContaining('JSON create request') as string,
      }),
    ]);
  });

  it('stops at absurd nesting depth', () => {
    let jobs = '[{job: {id: leaf, type: NoOp}}]';
    for (let i = 0; i < 40; i++) jobs = `[{while: {id: w${i}, condition: 'false', jobs: ${jobs}}}]`;
    const r = convertMaestroDslText(`Workflow:\n  id: wf\n  jobs: ${jobs}\n`);
    expect(r.issues.some((i) => i.code === DslIssueCode.tooDeep)).toBe(true);
  });
});

describe('positions', () => {
  it('come from a LineCounter or from the source text; without either, issues carry none', () => {
    const text = 'Workflow:\n  id: wf\n  "bad key": 1\n  jobs: []\n';
    const lineCounter = new LineCounter();
    const viaCounter = convertMaestroDsl(parseDocument(text, { lineCounter }), lineCounter).issues;
    const viaText = convertMaestroDsl(parseDocument(text), text).issues;
    const none = convertMaestroDsl(parseDocument(text)).issues;
    expect(viaCounter).toEqual([expect.objectContaining({ line: 3, column: 3 })]);
    expect(viaText).toEqual(viaCounter);
    expect(none).toEqual([
      {
        code: DslIssueCode.paramBadKey,
        path: ['Workflow', 'bad key'],
        message: expect.any(String) as string,
      },
    ]);
  });
});

describe('locate maps output paths back to the DSL', () => {
  const { locate } = convertMaestroDslText(SAMPLE);

  it.each([
    [['workflow', 'id'], 2, 7],
    [['properties', 'owner'], 5, 10],
    [['properties', 'run_strategy', 'workflow_concurrency'], 7, 25],
    [['workflow', 'params', 'p'], 11, 3],
    [['workflow', 'params', 'p', 'value'], 11, 6],
    [['workflow', 'steps', 0, 'step', 'transition', 'successors', 'b'], 17, 13],
    [['workflow', 'steps', 1, 'step', 'params', 'q', 'value'], 21, 12],
    [['workflow', 'steps', 1, 'step', 'type'], 20, 15],
  ])('%j', (path, line, column) => {
    expect(locate(path)).toEqual({ line, column });
  });

  it('falls back to the nearest mapped ancestor', () => {
    expect(locate(['workflow', 'steps', 1, 'step', 'retry_policy', 'x'])).toEqual({ line: 19, column: 9 });
    expect(locate(['nothing', 'here'])).toEqual({ line: 1, column: 1 });
  });

  it('points dag-filled transitions at the dag', () => {
    const text =
      'Workflow:\n  id: wf\n  jobs:\n    - job: {id: a, type: NoOp}\n    - job: {id: b, type: NoOp}\n  dag: sequential\n';
    expect(
      convertMaestroDslText(text).locate(['workflow', 'steps', 0, 'step', 'transition', 'successors', 'b']),
    ).toEqual({ line: 6, column: 8 });
  });
});

describe('isMaestroDsl', () => {
  it('accepts DSL documents as data, as a parsed Document, with either spelling', () => {
    expect(isMaestroDsl(parse(SAMPLE))).toBe(true);
    expect(isMaestroDsl(parseDocument(SAMPLE))).toBe(true);
    expect(isMaestroDsl({ workflow: { jobs: [] } })).toBe(true);
  });

  it('rejects a JSON create request written as YAML, and anything else', () => {
    expect(isMaestroDsl(parse('workflow:\n  id: wf\n  steps: []\n'))).toBe(false);
    expect(isMaestroDsl(parseDocument('workflow:\n  id: wf\n  steps: []\n'))).toBe(false);
    for (const v of [null, undefined, 1, 'Workflow', [], { Workflow: [] }, { Workflow: null }])
      expect(isMaestroDsl(v)).toBe(false);
  });
});
