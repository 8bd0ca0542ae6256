import { describe, expect, it } from 'vitest';
import { convertMaestroDslText } from './index.js';
import { DslIssueCode } from './issue-codes.js';

/** Converts a workflow whose `jobs:` list starts on line 4 (each job line as given, indented four spaces). */
function convert(jobLines: string[], tail: string[] = []) {
  const text = ['Workflow:', '  id: wf', '  jobs:', ...jobLines.map((l) => `    ${l}`), ...tail, ''].join(
    '\n',
  );
  return convertMaestroDslText(text);
}

function successors(jobLines: string[], tail: string[] = []): Record<string, unknown> {
  const { request, issues } = convert(jobLines, tail);
  expect(issues).toEqual([]);
  const steps = (
    request?.['workflow'] as { steps: Record<string, { id: string; transition?: { successors: unknown } }>[] }
  ).steps;
  return Object.fromEntries(
    steps.map((s) => Object.values(s)[0]).map((s) => [s?.id, s?.transition?.successors]),
  );
}

describe('transition rows', () => {
  it('reads plain ids, IF/THEN in any case and OTHERWISE as the negation of every IF above it', () => {
    expect(
      successors([
        '- job:',
        '    id: a',
        '    type: NoOp',
        '    transition:',
        '      - b',
        '      - IF x > 1 THEN c',
        '      - if y == "THEN" then d',
        '      - Otherwise e',
        ...['b', 'c', 'd', 'e'].map((id) => `- job: {id: ${id}, type: NoOp}`),
      ]),
    ).toMatchObject({ a: { b: 'true', c: 'x > 1', d: 'y == "THEN"', e: '!(x > 1) && !(y == "THEN")' } });
  });

  it('treats OTHERWISE without any IF as always taken, and a single string as a one-row list', () => {
    expect(
      successors([
        '- job: {id: a, type: NoOp, transition: [OTHERWISE b]}',
        '- job: {id: b, type: NoOp, transition: c}',
        '- job: {id: c, type: NoOp}',
      ]),
    ).toEqual({ a: { b: 'true' }, b: { c: 'true' }, c: undefined });
  });

  it('takes the last THEN as the split, so a condition may contain the word', () => {
    expect(
      successors([
        '- job: {id: a, type: NoOp, transition: ["IF s == \'IF x THEN y\' THEN b"]}',
        '- job: {id: b, type: NoOp}',
      ]),
    ).toMatchObject({
      a: { b: "s == 'IF x THEN y'" },
    });
  });

  it('reports OTHERWISE that is not the last row, at that row', () => {
    const { issues } = convert([
      '- job:',
      '    id: a',
      '    type: NoOp',
      '    transition:',
      '      - OTHERWISE b',
      '      - IF x THEN c',
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        code: DslIssueCode.transitionOtherwiseNotLast,
        path: ['Workflow', 'jobs', 0, 'job', 'transition', 0],
        line: 8,
        column: 13,
      }),
    ]);
  });

  it('reports rows that are not a job id, IF … THEN or OTHERWISE', () => {
    const { issues } = convert([
      '- job: {id: a, type: NoOp, transition: [IF x b, "9lives", {x: 1}, WHEN x THEN b]}',
    ]);
    expect(issues.map((i) => [i.code, i.line, i.column])).toEqual([
      [DslIssueCode.transitionInvalid, 4, 45],
      [DslIssueCode.transitionInvalid, 4, 53],
      [DslIssueCode.transitionInvalid, 4, 63],
      [DslIssueCode.transitionInvalid, 4, 71],
    ]);
  });

  it('reads a row with long runs of white space in linear time (a regex took minutes on 8,000 spaces)', () => {
    const spaces = ' '.repeat(20_000);
    expect(
      successors([
        `- job: {id: a, type: NoOp, transition: ["IF${spaces}x > 1${spaces}THEN${spaces}b"]}`,
        '- job: {id: b, type: NoOp}',
      ]),
    ).toMatchObject({ a: { b: 'x > 1' } });
    const { issues } = convert([
      `- job: {id: a, type: NoOp, transition: ["if ${spaces}x then", "IF then b", "if x then 9b"]}`,
    ]);
    expect(issues.map((i) => i.code)).toEqual([
      DslIssueCode.transitionInvalid,
      DslIssueCode.transitionInvalid,
      DslIssueCode.transitionInvalid,
    ]);
  }, 10_000);

  it('reports a successor named twice, and a transition that is a map', () => {
    const { issues } = convert([
      '- job: {id: a, type: NoOp, transition: [b, IF x THEN b]}',
      '- job: {id: c, type: NoOp, transition: {b: true}}',
    ]);
    expect(issues.map((i) => [i.code, i.line, i.column])).toEqual([
      [DslIssueCode.transitionDuplicateSuccessor, 4, 48],
      [DslIssueCode.notAList, 5, 44],
    ]);
  });
});

describe('dag', () => {
  const jobs = [
    '- job: {id: a, type: NoOp}',
    '- job: {id: b, type: NoOp, transition: [d]}',
    '- job: {id: c, type: NoOp}',
    '- job: {id: d, type: NoOp}',
  ];

  it('sequential chains each job without a transition to the next', () => {
    expect(successors(jobs, ['  dag: Sequential'])).toEqual({
      a: { b: 'true' },
      b: { d: 'true' },
      c: { d: 'true' },
      d: undefined,
    });
  });

  it('parallel adds nothing', () => {
    expect(successors(jobs, ['  dag: parallel'])).toEqual({
      a: undefined,
      b: { d: 'true' },
      c: undefined,
      d: undefined,
    });
  });

  it('a map gives rows per job; a job with its own transition keeps it', () => {
    expect(
      successors(jobs, ['  dag:', '    a: [IF x THEN c, OTHERWISE d]', '    b: [c]', '    c: d']),
    ).toEqual({
      a: { c: 'x', d: '!(x)' },
      b: { d: 'true' },
      c: { d: 'true' },
      d: undefined,
    });
  });

  it('reports an unknown dag key at the key, and an unknown order at the value', () => {
    expect(convert(jobs, ['  dag:', '    nope: [a]']).issues).toEqual([
      expect.objectContaining({
        code: DslIssueCode.dagUnknownJob,
        path: ['Workflow', 'dag', 'nope'],
        line: 9,
        column: 5,
      }),
    ]);
    expect(convert(jobs, ['  dag: random']).issues).toEqual([
      expect.objectContaining({
        code: DslIssueCode.dagInvalid,
        path: ['Workflow', 'dag'],
        line: 8,
        column: 8,
      }),
    ]);
  });

  it('reports bad rows inside a dag map with the dag path', () => {
    expect(convert(jobs, ['  dag:', '    a: [OTHERWISE b, c]']).issues).toEqual([
      expect.objectContaining({
        code: DslIssueCode.transitionOtherwiseNotLast,
        path: ['Workflow', 'dag', 'a', 0],
        line: 9,
        column: 9,
      }),
    ]);
  });
});
