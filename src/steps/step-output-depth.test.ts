import { describe, expect, it } from 'vitest';
import { parseStepOutput } from './step-output.js';

describe('a step output nested too deep', () => {
  it('is an unusable output (the step fails), not a value the engine and store walk recursively', () => {
    const deep = `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(parseStepOutput(deep, 'the file')).toEqual({
      ok: false,
      message: 'output in the file nests lists and maps more than 128 levels deep',
    });
  });

  it('still accepts nesting within the limit', () => {
    expect(parseStepOutput(`{"x": ${'['.repeat(100)}${']'.repeat(100)}}`, 'the file').ok).toBe(true);
  });
});
