// The debugger's expression evaluator: an expression parsed with our parser, evaluated over values
// read from the stopped VM (hover, watch, debug console). No side effects: only reading variables,
// indexing, arithmetic, comparisons and the pure builtins length/type_of/keys-free ones below.
import type { Expr } from "../../../../compiler/src/ast";
import { parse } from "../../../../compiler/src/parser";
import { toAst } from "../../../../compiler/src/lower";
import { formatNumber } from "../../../../compiler/src/numfmt";

/** A value as the evaluator sees it: a scalar, or a collection still in the VM (by reference). */
export type EvalValue =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "array" | "dict" | "function"; ref: number; count: number; preview: string };

/** What the evaluator reads from the VM. */
export interface EvalHost {
  /** A variable of the selected frame (locals, captured, globals), or undefined. */
  variable(name: string): Promise<EvalValue | undefined>;
  /** Element i of an array, or the value at key of a dict; undefined when missing. */
  element(collection: EvalValue, key: EvalValue): Promise<EvalValue | undefined>;
}

export class EvalError extends Error {}

/** Parses an expression; a statement or a syntax error is an EvalError. */
export function parseExpression(text: string): Expr {
  const source = `let __debug_value__ = (${text})\n`;
  const parsed = parse(source);
  if (parsed.diagnostics.some((d) => d.severity === "error") || text.includes("\n")) throw new EvalError("not an expression");
  const program = toAst(parsed);
  const stmt = program.body[0];
  if (program.body.length !== 1 || stmt.kind !== "Let") throw new EvalError("not an expression");
  return stmt.value;
}

export function display(v: EvalValue): string {
  switch (v.kind) {
    case "number":
      return formatNumber(v.value);
    case "string":
      return JSON.stringify(v.value);
    case "bool":
      return String(v.value);
    case "none":
      return "none";
    default:
      return v.preview;
  }
}

function typeName(v: EvalValue): string {
  return v.kind === "bool" ? "bool" : v.kind;
}

/** The language's truthiness (runtime.md): false, 0, "", the empty array and dict, none are falsy. */
export function truthy(v: EvalValue): boolean {
  switch (v.kind) {
    case "bool":
      return v.value;
    case "none":
      return false;
    case "number":
      return v.value !== 0;
    case "string":
      return v.value.length > 0;
    default:
      return v.kind === "function" || v.count > 0;
  }
}

export async function evaluate(e: Expr, host: EvalHost): Promise<EvalValue> {
  switch (e.kind) {
    case "Number":
      return { kind: "number", value: e.value };
    case "String":
      return { kind: "string", value: e.value };
    case "Bool":
      return { kind: "bool", value: e.value };
    case "Paren":
      return evaluate(e.inner, host);
    case "FString":
      return evaluate(e.desugared, host);
    case "Var": {
      const v = await host.variable(e.name);
      if (v) return v;
      if (e.name === "none") return { kind: "none" };
      throw new EvalError(`Undefined variable: '${e.name}'`);
    }
    case "Index": {
      const obj = await evaluate(e.object, host);
      const key = await evaluate(e.index, host);
      if (obj.kind === "string") {
        if (key.kind !== "number") throw new EvalError(`Type error: expected number, found ${typeName(key)}`);
        const chars = [...obj.value];
        const i = Math.trunc(key.value);
        if (i < 0 || i >= chars.length) throw new EvalError(`String index ${i} out of bounds (length: ${chars.length})`);
        return { kind: "string", value: chars[i] };
      }
      if (obj.kind !== "array" && obj.kind !== "dict") throw new EvalError(`Type error: expected array or dict, found ${typeName(obj)}`);
      const v = await host.element(obj, key);
      if (!v) throw new EvalError(obj.kind === "array" ? `Array index ${display(key)} out of bounds (length: ${obj.count})` : `Key not found: ${display(key)}`);
      return v;
    }
    case "Unary": {
      const v = await evaluate(e.operand, host);
      if (e.op === "not") return { kind: "bool", value: !truthy(v) };
      if (v.kind !== "number") throw new EvalError(`Type error: expected number, found ${typeName(v)}`);
      return { kind: "number", value: -v.value };
    }
    case "Binary": {
      const a = await evaluate(e.left, host);
      if (e.op === "and") return truthy(a) ? evaluate(e.right, host) : a;
      if (e.op === "or") return truthy(a) ? a : evaluate(e.right, host);
      const b = await evaluate(e.right, host);
      return binary(e.op, a, b);
    }
    case "Call": {
      const name = e.name;
      const args: EvalValue[] = [];
      for (const a of e.args) args.push(await evaluate(a, host));
      if (name === "length" && args.length === 1) {
        const v = args[0];
        if (v.kind === "string") return { kind: "number", value: [...v.value].length };
        if (v.kind === "array" || v.kind === "dict") return { kind: "number", value: v.count };
        throw new EvalError(`Type error: expected string, array or dict, found ${typeName(v)}`);
      }
      if (name === "type_of" && args.length === 1) return { kind: "string", value: typeName(args[0]) };
      if (name === "str" && args.length === 1) return { kind: "string", value: args[0].kind === "string" ? args[0].value : display(args[0]) };
      if (name === "abs" && args.length === 1 && args[0].kind === "number") return { kind: "number", value: Math.abs(args[0].value) };
      throw new EvalError("only length(), type_of(), str() and abs() can be called while debugging (calls could have effects)");
    }
    default:
      throw new EvalError(`cannot evaluate a ${e.kind.toLowerCase()} while debugging`);
  }
}

function binary(op: string, a: EvalValue, b: EvalValue): EvalValue {
  if (op === "==" || op === "!=") {
    const same = a.kind === b.kind && ("value" in a && "value" in b ? a.value === b.value : a.kind === "none" || ("ref" in a && "ref" in b && a.ref === b.ref));
    return { kind: "bool", value: op === "==" ? same : !same };
  }
  if (op === "+" && a.kind === "string" && b.kind === "string") return { kind: "string", value: a.value + b.value };
  if (a.kind === "string" && b.kind === "string" && (op === "<" || op === "<=" || op === ">" || op === ">=")) {
    const c = Buffer.compare(Buffer.from(a.value), Buffer.from(b.value));
    return { kind: "bool", value: op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0 };
  }
  if (a.kind !== "number" || b.kind !== "number") {
    const expected = op === "+" || op === "<" || op === "<=" || op === ">" || op === ">=" ? "number or string" : "number";
    throw new EvalError(`Type error: expected ${expected}, found ${typeName(a)} and ${typeName(b)}`);
  }
  const x = a.value;
  const y = b.value;
  switch (op) {
    case "+":
      return { kind: "number", value: x + y };
    case "-":
      return { kind: "number", value: x - y };
    case "*":
      return { kind: "number", value: x * y };
    case "/":
      if (y === 0) throw new EvalError("Division by zero");
      return { kind: "number", value: x / y };
    case "%":
      if (y === 0) throw new EvalError("Division by zero");
      return { kind: "number", value: x % y };
    case "<":
      return { kind: "bool", value: x < y };
    case "<=":
      return { kind: "bool", value: x <= y };
    case ">":
      return { kind: "bool", value: x > y };
    default:
      return { kind: "bool", value: x >= y };
  }
}
