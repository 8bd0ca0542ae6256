import { describe, expect, it } from 'vitest';
import { convertMaestroDslText } from './index.js';
import { DslIssueCode } from './issue-codes.js';

/** A workflow whose `jobs:` list starts on line 4 (each line as given, indented four spaces). */
function convert(...jobLines: string[]) {
  return convertMaestroDslText(
    ['Workflow:', '  id: wf', '  jobs:', ...jobLines.map((l) => `    ${l}`), ''].join('\n'),
  );
}

function steps(...jobLines: string[]): unknown[] {
  const { request, issues } = convert(...jobLines);
  expect(issues).toEqual([]);
  return (request?.['workflow'] as { steps: unknown[] }).steps;
}

const codesAt = (r: ReturnType<typeof convert>) => r.issues.map((i) => [i.code, i.line, i.column]);

/** 1-based column of `token` in a job line as `convert` writes it (indented four spaces). */
const col = (jobLine: string, token: string): number => 4 + jobLine.indexOf(token) + 1;

describe('typed jobs', () => {
  it('writes built-in types in Maestro spelling, including Baton’s own', () => {
    expect(
      steps('- job: {id: a, type: http}', '- job: {id: b, type: SHELL}', '- job: {id: c, type: noop}'),
    ).toEqual([
      { step: { id: 'a', type: 'Http' } },
      { step: { id: 'b', type: 'Shell' } },
      { step: { id: 'c', type: 'NoOp' } },
    ]);
  });

  it('names any other type as the job template (sub_type, lowercased) and leaves the type to the template', () => {
    expect(
      steps(
        '- job: {id: a, type: Spark, type_version: v2, name: A, description: d, failure_mode: fail_immediately}',
      ),
    ).toEqual([
      {
        step: {
          id: 'a',
          name: 'A',
          description: 'd',
          sub_type: 'spark',
          sub_type_version: 'v2',
          failure_mode: 'fail_immediately',
        },
      },
    ]);
  });

  it("leaves a template's type to template resolution", () => {
    const text =
      'Workflow:\n  id: wf\n  jobs:\n    - job: {id: a, type: Spark, type_version: v2}\n    - job: {id: b, type: http}\n';
    const { request, issues } = convertMaestroDslText(text);
    expect(issues).toEqual([]);
    expect((request?.['workflow'] as { steps: unknown[] }).steps).toEqual([
      { step: { id: 'a', sub_type: 'spark', sub_type_version: 'v2' } },
      { step: { id: 'b', type: 'Http' } },
    ]);
  });

  it('turns every other key into a step param', () => {
    expect(steps('- job: {id: a, type: Sleep, sleep_seconds: 3, tags: [t], timeout: 1h}')).toEqual([
      {
        step: {
          id: 'a',
          type: 'Sleep',
          tags: ['t'],
          timeout: '1h',
          params: { sleep_seconds: { value: 3, type: 'LONG' } },
        },
      },
    ]);
  });

  it('reports a loop kind used as a job type, and a type_version on a built-in type', () => {
    const bad = '- job: {id: a, type: foreach}';
    const pinned = '- job: {id: b, type: NoOp, type_version: v1}';
    expect(codesAt(convert(bad, pinned))).toEqual([
      [DslIssueCode.jobBadType, 4, col(bad, 'foreach')],
      [DslIssueCode.jobTypeVersionIgnored, 5, col(pinned, 'type_version')],
    ]);
  });
});

describe('job list items', () => {
  it('reports unknown kinds, two kinds in one item, non-map items and a non-list jobs', () => {
    expect(
      codesAt(convert('- task: {id: a}', '- job: {id: b, type: NoOp}', '  while: {id: c}', '- just-text')),
    ).toEqual([
      [DslIssueCode.jobUnknownKind, 4, 7],
      [DslIssueCode.jobUnknownKind, 5, 7],
      [DslIssueCode.notAMap, 7, 7],
    ]);
    const notList = convertMaestroDslText('Workflow:\n  id: wf\n  jobs: {a: 1}\n');
    expect(codesAt(notList)).toEqual([[DslIssueCode.notAList, 3, 9]]);
  });

  it('reports a job body that is not a map', () => {
    expect(codesAt(convert('- job: [a]'))).toEqual([[DslIssueCode.notAMap, 4, 12]]);
  });
});

describe('foreach', () => {
  it('builds loop_params from params/loop_params and ranges, with the concurrency aliases', () => {
    expect(
      steps(
        '- foreach:',
        '    id: f',
        '    job_concurrency: 3',
        '    params: {d: [1, 2]}',
        '    ranges: {h: {to: 24}, m: {from: 60, to: 0, increment: -15}}',
        '    note: x',
        '    jobs: [{job: {id: a, type: NoOp}}]',
      ),
    ).toEqual([
      {
        foreach: {
          id: 'f',
          concurrency: 3,
          params: {
            note: { value: 'x', type: 'STRING' },
            loop_params: {
              type: 'MAP',
              value: {
                d: { value: [1, 2], type: 'LONG_ARRAY' },
                h: { expression: 'Util.intsBetween(0, 24, 1)', type: 'LONG_ARRAY' },
                m: { expression: 'Util.intsBetween(60, 0, -15)', type: 'LONG_ARRAY' },
              },
            },
          },
          steps: [{ step: { id: 'a', type: 'NoOp' } }],
        },
      },
    ]);
  });

  it('reports both spellings of one setting, a range without `to`, bad range keys and values', () => {
    const ranges = '    ranges: {h: {from: 1}, d: {to: 3}, k: {to: [1], step: 2}, "!x": {to: 1}}';
    const r = convert(
      '- foreach:',
      '    id: f',
      '    concurrency: 1',
      '    job_concurrency: 2',
      '    params: {d: [1]}',
      '    loop_params: {e: [1]}',
      ranges,
      '    jobs: [{job: {id: a, type: NoOp}}]',
    );
    expect(codesAt(r)).toEqual([
      [DslIssueCode.conflictingAlias, 7, 9], // the second spelling
      [DslIssueCode.conflictingAlias, 9, 9],
      [DslIssueCode.rangeBad, 10, col(ranges, 'h:')], // no `to`
      [DslIssueCode.paramDuplicate, 10, col(ranges, 'd:')], // `d` is also in params
      [DslIssueCode.rangeBad, 10, col(ranges, '[1]')],
      [DslIssueCode.rangeBad, 10, col(ranges, 'step')],
      [DslIssueCode.rangeBad, 10, col(ranges, '"!x"')],
    ]);
  });

  it('reports a foreach with nothing to loop over', () => {
    expect(codesAt(convert('- foreach:', '    id: f', '    jobs: [{job: {id: a, type: NoOp}}]'))).toEqual([
      [DslIssueCode.foreachNoLoopParams, 5, 9],
    ]);
  });
});

describe('while', () => {
  it('takes condition and loop params, and nests jobs with their own dag', () => {
    expect(
      steps(
        '- while:',
        '    id: w',
        '    condition: i < 3',
        '    loop_params: {i: 0}',
        '    jobs: [{job: {id: a, type: NoOp}}, {job: {id: b, type: NoOp}}]',
        '    dag: sequential',
      ),
    ).toEqual([
      {
        while: {
          id: 'w',
          condition: 'i < 3',
          params: { loop_params: { type: 'MAP', value: { i: { value: 0, type: 'LONG' } } } },
          steps: [
            { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'true' } } } },
            { step: { id: 'b', type: 'NoOp' } },
          ],
        },
      },
    ]);
  });
});

describe('subworkflow', () => {
  it('targets workflow_id|subworkflow_id, else its own id, with version, sync and explicit_params', () => {
    expect(
      steps(
        '- subworkflow: {id: s, subworkflow_id: other, version: 3, sync: false, explicit_params: true, p: 1}',
        '- subworkflow: {id: t}',
      ),
    ).toEqual([
      {
        subworkflow: {
          id: 's',
          sync: false,
          explicit_params: true,
          params: {
            p: { value: 1, type: 'LONG' },
            subworkflow_id: { value: 'other', type: 'STRING' },
            subworkflow_version: { value: '3', type: 'STRING' },
          },
        },
      },
      { subworkflow: { id: 't', params: { subworkflow_id: { value: 't', type: 'STRING' } } } },
    ]);
  });

  it('reports a non-boolean sync, both target spellings, and a param clashing with the target', () => {
    const line = "- subworkflow: {id: s, workflow_id: a, subworkflow_id: b, sync: yes, '!subworkflow_id': x}";
    expect(codesAt(convert(line))).toEqual([
      [DslIssueCode.conflictingAlias, 4, col(line, 'subworkflow_id:')],
      [DslIssueCode.notABoolean, 4, col(line, 'yes')],
      [DslIssueCode.paramDuplicate, 4, col(line, "'!subworkflow_id'")],
    ]);
  });
});
