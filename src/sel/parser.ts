import type { AssignOp, BinaryOp, Expr, Pos, SelProgram, Stmt, TypeRef } from './ast.js';
import { SelError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { MAX_PARSE_DEPTH } from './limits.js';

const KEYWORDS = new Set([
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
const ASSIGN = new Set<string>(['=', '+=', '-=', '*=', '/=', '%=']);
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
 * Recursive-descent parser for SEL's Java subset. Depth is counted on every nested construct (and on each link
 * of operator and suffix chains, which build deep trees without recursing) and capped at MAX_PARSE_DEPTH, so
 * neither parsing nor later tree walks can overflow the JS stack.
 */
class Parser {
  private pos = 0;
  private depth = 0;
  private readonly slots = new Map<string, number>();

  constructor(private readonly toks: readonly Token[]) {}

  program(source: string): SelProgram {
    const body: Stmt[] = [];
    while (this.peek().kind !== 'eof') body.push(this.statement());
    return { source, body, names: [...this.slots.keys()] };
  }

  private peek(ahead = 0): Token {
    return this.toks[Math.min(this.pos + ahead, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private expect(text: string): Token {
    if (!this.is(text)) this.fail(`Expected '${text}'`);
    return this.next();
  }
  private fail(msg: string, t: Token = this.peek()): never {
    throw new SelError(
      'PARSE_ERROR',
      `${msg} but found '${t.text}' at line ${t.line}, column ${t.column}`,
      t.line,
      t.column,
    );
  }
  private enter(): void {
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
  private slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.slots.size;
      this.slots.set(name, s);
    }
    return s;
  }
  private ident(): Token {
    const t = this.peek();
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) this.fail('Expected an identifier');
    return this.next();
  }

  private statement(): Stmt {
    this.enter();
    const s = this.statementInner();
    this.depth--;
    return s;
  }

  private statementInner(): Stmt {
    const t = this.peek();
    const at: Pos = { line: t.line, column: t.column };
    if (t.kind === 'punct') {
      if (t.text === ';') {
        this.next();
        return { kind: 'empty', ...at };
      }
      if (t.text === '{') {
        this.next();
        const body: Stmt[] = [];
        while (!this.is('}')) {
          if (this.peek().kind === 'eof') this.fail("Expected '}'");
          body.push(this.statement());
        }
        this.next();
        return { kind: 'block', body, ...at };
      }
    }
    if (t.kind === 'ident') {
      switch (t.text) {
        case 'if': {
          this.next();
          const test = this.parenExpr();
          const then = this.statement();
          const otherwise = this.is('else') ? (this.next(), this.statement()) : null;
          return { kind: 'if', test, then, else: otherwise, ...at };
        }
        case 'while': {
          this.next();
          const test = this.parenExpr();
          return { kind: 'while', test, body: this.statement(), ...at };
        }
        case 'for':
          return this.forStatement(at);
        case 'break':
        case 'continue':
          this.next();
          this.expect(';');
          return { kind: t.text, ...at };
        case 'return': {
          this.next();
          const value = this.is(';') ? null : this.expression();
          this.expect(';');
          return { kind: 'return', value, ...at };
        }
        case 'throw': {
          this.next();
          const value = this.expression();
          this.expect(';');
          return { kind: 'throw', value, ...at };
        }
        case 'import': {
          // Imports parse but do nothing: only SEL's own classes exist.
          this.next();
          this.ident();
          while (this.is('.')) {
            this.next();
            if (this.is('*')) this.next();
            else this.ident();
          }
          this.expect(';');
          return { kind: 'empty', ...at };
        }
        default:
          break;
      }
    }
    const s = this.simpleStatement();
    this.expect(';');
    return s;
  }

  private forStatement(at: Pos): Stmt {
    this.next();
    this.expect('(');
    const init = this.is(';') ? null : this.simpleStatement();
    this.expect(';');
    const test = this.is(';') ? null : this.expression();
    this.expect(';');
    const update = this.is(')') ? null : this.statementExpression();
    this.expect(')');
    return { kind: 'for', init, test, update, body: this.statement(), ...at };
  }

  /** A declaration (`T x = e`, `T[] x`) or a statement expression, without the final ';'. */
  private simpleStatement(): Stmt {
    const t = this.peek();
    const at: Pos = { line: t.line, column: t.column };
    const declArray = this.is('[', 1) && this.is(']', 2) && this.peek(3).kind === 'ident';
    if (t.kind === 'ident' && !KEYWORDS.has(t.text) && (this.peek(1).kind === 'ident' || declArray)) {
      this.next();
      if (declArray) {
        this.next();
        this.next();
      }
      const type: TypeRef = { name: t.text, array: declArray };
      const name = this.ident().text;
      const init = this.is('=') ? (this.next(), this.expression()) : null;
      return { kind: 'decl', type, name, slot: this.slot(name), init, ...at };
    }
    return { kind: 'expr', expr: this.statementExpression(), ...at };
  }

  private statementExpression(): Expr {
    const target = this.expression();
    const t = this.peek();
    if (t.kind === 'punct' && ASSIGN.has(t.text)) {
      if (target.kind !== 'name' && target.kind !== 'index') this.fail('Invalid assignment target', t);
      this.next();
      const value = this.expression();
      return { kind: 'assign', op: t.text as AssignOp, target, value, line: t.line, column: t.column };
    }
    return target;
  }

  private parenExpr(): Expr {
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

  private binary(minPrec: number): Expr {
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

  private unary(): Expr {
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

  private postfix(): Expr {
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

  private args(): Expr[] {
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

  private primary(): Expr {
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

  private newExpr(at: Pos): Expr {
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

/** Parses tokens into a program (no limit checks here; see `parseSel`). */
export function parseProgram(source: string): SelProgram {
  return new Parser(tokenize(source)).program(source);
}
