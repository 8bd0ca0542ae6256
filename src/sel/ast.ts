/**
 * SEL syntax tree. Every node keeps its 1-based source position so errors point at the failing code. Nodes are
 * plain readonly objects with a `kind` tag; the interpreter dispatches on it with exhaustive switches.
 */

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export const BINARY_OPS = ['||', '&&', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export const ASSIGN_OPS = ['=', '+=', '-=', '*=', '/=', '%='] as const;
export type AssignOp = (typeof ASSIGN_OPS)[number];

/** A type as written in a declaration or `new`: a class name and whether it is a 1-D array. */
export interface TypeRef {
  readonly name: string;
  readonly array: boolean;
}

export type Expr =
  | (Pos & { readonly kind: 'literal'; readonly value: bigint | number | string | boolean | null })
  | (Pos & { readonly kind: 'name'; readonly name: string; readonly slot: number })
  | (Pos & { readonly kind: 'unary'; readonly op: '!' | '-' | '+'; readonly operand: Expr })
  | (Pos & { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr })
  | (Pos & { readonly kind: 'ternary'; readonly test: Expr; readonly then: Expr; readonly else: Expr })
  | (Pos & { readonly kind: 'field'; readonly target: Expr; readonly name: string })
  | (Pos & {
      readonly kind: 'call';
      readonly target: Expr;
      readonly name: string;
      readonly args: readonly Expr[];
    })
  | (Pos & { readonly kind: 'index'; readonly target: Expr; readonly index: Expr })
  | (Pos & { readonly kind: 'new'; readonly type: string; readonly args: readonly Expr[] })
  | (Pos & { readonly kind: 'newArray'; readonly type: string; readonly size: Expr })
  | (Pos & { readonly kind: 'arrayInit'; readonly type: string; readonly items: readonly Expr[] })
  | (Pos & { readonly kind: 'assign'; readonly op: AssignOp; readonly target: Expr; readonly value: Expr });

export type Stmt =
  | (Pos & { readonly kind: 'expr'; readonly expr: Expr })
  | (Pos & {
      readonly kind: 'decl';
      readonly type: TypeRef;
      readonly name: string;
      readonly slot: number;
      readonly init: Expr | null;
    })
  | (Pos & { readonly kind: 'block'; readonly body: readonly Stmt[] })
  | (Pos & { readonly kind: 'if'; readonly test: Expr; readonly then: Stmt; readonly else: Stmt | null })
  | (Pos & { readonly kind: 'while'; readonly test: Expr; readonly body: Stmt })
  | (Pos & {
      readonly kind: 'for';
      readonly init: Stmt | null;
      readonly test: Expr | null;
      readonly update: Expr | null;
      readonly body: Stmt;
    })
  | (Pos & { readonly kind: 'break' })
  | (Pos & { readonly kind: 'continue' })
  | (Pos & { readonly kind: 'return'; readonly value: Expr | null })
  | (Pos & { readonly kind: 'throw'; readonly value: Expr })
  | (Pos & { readonly kind: 'empty' });

/** A parsed program: statements plus the table of distinct names, indexed by each name node's `slot`. */
export interface SelProgram {
  readonly source: string;
  readonly body: readonly Stmt[];
  readonly names: readonly string[];
}
