import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../parse.js';

/** Step `count` (of `type`) declares `rows`; `report` follows it when `condition` holds. */
function yaml(type: string, condition: string, reportParams = ''): string {
  return `properties: {owner: tester}
workflow:
  id: wf
  params:
    count__other: {type: LONG, value: 1}
  steps:
    - step:
        id: count
        type: ${type}
        params:
          rows: {type: LONG, value: 250}
        transition:
          successors:
            report: "${condition}"
    - step:
        id: report
        type: NoOp
${reportParams}`;
}

const found = (text: string) =>
  parseDefinitionText(text, { file: 'wf.yaml' }).issues.map(({ code, line, column, message }) => ({
    code,
    line,
    column,
    message,
  }));

describe('step__param of a step whose params are all known', () => {
  it.each(['NoOp', 'Sleep'])('reports a param that a %s step does not declare, at the condition', (type) => {
    expect(found(yaml(type, 'count__row > 10'))).toEqual([
      {
        code: 'UNKNOWN_REFERENCE',
        line: 14,
        column: 21,
        message: `the expression refers to 'count__row', but step 'count' has no param 'row' (its params are rows, and a ${type} step has no outputs)`,
      },
    ]);
  });

  it('accepts the params it declares, the ones the system gives it, and workflow params named like it', () => {
    expect(found(yaml('NoOp', "count__rows > 10 && count__step_id != '' && count__other == 1"))).toEqual([]);
  });

  it("reports params.getFromStep('count', 'row') and a reference in a step param too", () => {
    const text = yaml(
      'NoOp',
      "params.getFromStep('count', 'row') > 10",
      '        params:\n          n: {type: LONG, expression: "count__rowz + 1"}\n',
    );
    expect(found(text).map((i) => [i.line, i.message.replace(/, but.*/, '')])).toEqual([
      [14, "the expression refers to 'count__row'"],
      [19, "the expression refers to 'count__rowz'"],
    ]);
  });

  it('leaves a Shell step alone: it may write any output param', () => {
    const shell = yaml('Shell', 'count__row > 10').replace(
      'rows: {type: LONG, value: 250}',
      'command: {type: STRING, value: "true"}',
    );
    expect(found(shell)).toEqual([]);
  });
});
