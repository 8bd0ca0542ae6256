import type { z } from 'zod';
import type { Issue } from '../model/issue.js';
import { IssueCode } from './validate/report.js';

/** Turns zod's structural issues into Baton issues with stable codes and messages a person can act on. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const zi of issues) {
    const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol');
    const field = path.length > 0 ? String(path[path.length - 1]) : 'the document';
    switch (zi.code) {
      case 'unrecognized_keys':
        for (const key of zi.keys)
          out.push({ code: IssueCode.UNKNOWN_KEY, path: [...path, key], message: `unknown key '${key}'` });
        break;
      case 'invalid_type':
        if (zi.input === undefined)
          out.push({ code: IssueCode.MISSING, path, message: `'${field}' is required` });
        else
          out.push({
            code: IssueCode.INVALID_TYPE,
            path,
            message: friendly(zi.message, `'${field}' must be ${article(zi.expected)}`),
          });
        break;
      default: {
        // A union whose every branch failed on type is a type problem; anything else is a bad value.
        if (
          zi.code === 'invalid_union' &&
          zi.errors.every((branch) => branch.every((e) => e.code === 'invalid_type'))
        ) {
          out.push({
            code: IssueCode.INVALID_TYPE,
            path,
            message: friendly(zi.message, `'${field}' has the wrong type`),
          });
          break;
        }
        const given =
          typeof zi.input === 'string' || typeof zi.input === 'number'
            ? `, not ${JSON.stringify(zi.input)}`
            : '';
        out.push({
          code: IssueCode.INVALID_VALUE,
          path,
          message: `${friendly(zi.message, `'${field}' is not valid`)}${given}`,
        });
      }
    }
  }
  return out;
}

function friendly(message: string, fallback: string): string {
  return message.startsWith('Invalid input') || message === 'Invalid option' ? fallback : message;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    object: 'a map',
    array: 'a list',
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    record: 'a map',
  };
  return words[expected] ?? expected;
}
