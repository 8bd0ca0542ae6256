import type { AssignOp, Expr, Pos, SelProgram, Stmt, TypeRef } from './ast.js';
import { tokenize } from './lexer.js';
import { ExprParser, KEYWORDS } from './parser-expr.js';

const ASSIGN = new Set<string>(['=', '+=', '-=', '*=', '/=', '%=']);

/** Statements of SEL's Java subset; expressions come from ExprParser. */
class Parser extends ExprParser {
  private loops = 0;

  program(source: string): SelProgram {
    const body: Stmt[] = [];
    while (this.peek().kind !== 'eof') body.push(this.statement());
    return { source, body, names: [...this.slots.keys()] };
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
          return { kind: 'while', test, body: this.loopBody(), ...at };
        }
        case 'for':
          return this.forStatement(at);
        case 'break':
        case 'continue':
          // As in Java, break and continue exist only inside a loop.
          if (this.loops === 0) this.fail(`'${t.text}' outside of a loop`, t);
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
    return { kind: 'for', init, test, update, body: this.loopBody(), ...at };
  }

  private loopBody(): Stmt {
    this.loops++;
    const body = this.statement();
    this.loops--;
    return body;
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
}

/** Parses tokens into a program (no limit checks here; see `parseSel`). */
export function parseProgram(source: string): SelProgram {
  return new Parser(tokenize(source)).program(source);
}
