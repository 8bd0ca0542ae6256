import type { BinaryOp, Expr, Pos } from './ast.js';
import { SelError } from './errors.js';
import type { Token } from './lexer.js';
import { MAX_PARSE_DEPTH } from './limits.js';

export const KEYWORDS = new Set([
  'if',
  'else',
  'while',
  'for',
  'break',
  'continue',
  'return',
  'throw',
  'new',
  'true',
  'false',
  'null',
  'import',
]);
// Binding power of each binary operator; higher binds tighter.
const PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
const LONG_MIN = -9223372036854775808n;

/**
 * Token handling and expressions of the recursive-descent parser (statements are in parser.ts). Depth is
 * counted on every nested construct (and on each link of operator and suffix chains, which build deep trees
 * without recursing) and capped at MAX_PARSE_DEPTH, so neither parsing nor later tree walks can overflow the
 * JS stack.
 */
export class ExprParser {
  protected pos = 0;
  protected depth = 0;
  protected readonly slots = new Map<string, number>();

  constructor(protected readonly toks: readonly Token[]) {}

  protected peek(ahead = 0): Token {
    return this.toks[Math.min(this.pos + ahead, this.toks.length - 1)] as Token;
  }
  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  protected expect(text: string): Token {
    if (!this.is(text)) this.fail(`Expected '${text}'`);
    return this.next();
  }
  protected fail(msg: string, t: Token = this.peek()): never {
    throw new SelError(
      'PARSE_ERROR',
      `${msg} but found '${t.text}' at line ${t.line}, column ${t.column}`,
      t.line,
      t.column,
    );
  }
  protected enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) {
      const t = this.peek();
      throw new SelError(
        'LIMIT_STACK',
        `Expression nesting is over the parser limit ${MAX_PARSE_DEPTH}`,
        t.line,
        t.column,
      );
    }
  }
  protected slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(name, s);
    }
    return s;
  }
  protected ident(): Token {
    const t = this.peek();
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) this.fail('Expected an identifier');
    return this.next();
  }

  protected parenExpr(): Expr {
    this.expect('(');
    const e = this.expression();
    this.expect(')');
    return e;
  }

  expression(): Expr {
    this.enter();
    const test = this.binary(1);
    let result = test;
    if (this.is('?')) {
      const q = this.next();
      const then = this.expression();
      this.expect(':');
      result = { kind: 'ternary', test, then, else: this.expression(), line: q.line, column: q.column };
    }
    this.depth--;
    return result;
  }

  protected binary(minPrec: number): Expr {
    let left = this.unary();
    const saved = this.depth;
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'punct' ? PRECEDENCE[t.text] : undefined;
      if (prec === undefined || prec < minPrec) break;
      this.next();
      this.enter();
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, line: t.line, column: t.column };
    }
    this.depth = saved;
    return left;
  }

  protected unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '!' || t.text === '-' || t.text === '+')) {
      this.next();
      this.enter();
      const operand = this.unary();
      this.depth--;
      if (t.text === '-' && operand.kind === 'literal') {
        // Fold negative literals so `-1` costs nothing at run time; LONG negation wraps like Java.
        if (typeof operand.value === 'bigint') {
          const v = operand.value === LONG_MIN ? LONG_MIN : -operand.value;
          return { ...operand, value: v, line: t.line, column: t.column };
        }
        if (typeof operand.value === 'number')
          return { ...operand, value: -operand.value, line: t.line, column: t.column };
      }
      return { kind: 'unary', op: t.text, operand, line: t.line, column: t.column };
    }
    return this.postfix();
  }

  protected postfix(): Expr {
    let e = this.primary();
    const saved = this.depth;
    for (;;) {
      if (this.is('.')) {
        this.next();
        const name = this.ident();
        this.enter();
        if (this.is('('))
          e = {
            kind: 'call',
            target: e,
            name: name.text,
            args: this.args(),
            line: name.line,
            column: name.column,
          };
        else e = { kind: 'field', target: e, name: name.text, line: name.line, column: name.column };
      } else if (this.is('[')) {
        const b = this.next();
        this.enter();
        const index = this.expression();
        this.expect(']');
        e = { kind: 'index', target: e, index, line: b.line, column: b.column };
      } else break;
    }
    this.depth = saved;
    return e;
  }

  protected args(): Expr[] {
    this.expect('(');
    const out: Expr[] = [];
    if (!this.is(')')) {
      out.push(this.expression());
      while (this.is(',')) {
        this.next();
        out.push(this.expression());
      }
    }
    this.expect(')');
    return out;
  }

  protected primary(): Expr {
    const t = this.peek();
    const at: Pos = { line: t.line, column: t.column };
    switch (t.kind) {
      case 'long':
      case 'double':
      case 'string':
        this.next();
        return { kind: 'literal', value: t.value, ...at };
      case 'punct':
        if (t.text === '(') return this.parenExpr();
        return this.fail('Expected an expression');
      case 'eof':
        return this.fail('Expected an expression');
      case 'ident':
        break;
    }
    if (t.text === 'true' || t.text === 'false') {
      this.next();
      return { kind: 'literal', value: t.text === 'true', ...at };
    }
    if (t.text === 'null') {
      this.next();
      return { kind: 'literal', value: null, ...at };
    }
    if (t.text === 'new') return this.newExpr(at);
    const name = this.ident();
    // Bare calls like `method()` are not in SEL's grammar: a call needs a receiver.
    if (this.is('(')) this.fail('Bare function calls are not supported');
    return { kind: 'name', name: name.text, slot: this.slot(name.text), ...at };
  }

  protected newExpr(at: Pos): Expr {
    this.next();
    const type = this.ident().text;
    if (this.is('(')) return { kind: 'new', type, args: this.args(), ...at };
    this.expect('[');
    if (this.is(']')) {
      this.next();
      this.expect('{');
      const items: Expr[] = [];
      if (!this.is('}')) {
        items.push(this.expression());
        while (this.is(',')) {
          this.next();
          items.push(this.expression());
        }
      }
      this.expect('}');
      return { kind: 'arrayInit', type, items, ...at };
    }
    const size = this.expression();
    this.expect(']');
    return { kind: 'newArray', type, size, ...at };
  }
}
