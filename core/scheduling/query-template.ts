/**
 * Query templates: a Kysely query built and compiled once per shape and dialect, then run with
 * new values.
 *
 * Why. Building a query with Kysely's builder and compiling it costs more than SQLite takes to run
 * a one-row lookup (a 25-column insert takes ~20 µs to build and compile), and one booking runs a
 * dozen such queries. The SQL of a query of a given shape never changes; only its values do.
 *
 * How. `build(db, p)` is ordinary builder code. The first time a shape runs on a dialect, it is
 * called with markers in place of the values of `p` and compiled by the transaction's own
 * compiler; the compiled query tells where each parameter goes. Every run then puts the call's
 * values in those places and hands the compiled query to the transaction (`executeQuery`). So the
 * SQL is exactly what the builder makes on that dialect: `?` on the desk's SQLite, `$1` on
 * Postgres. Compiled queries are kept per dialect adapter and shape: an immutable, deterministic
 * function of the builder code, like a prepared statement.
 *
 * Rules for `build` (the checked ones throw when the template is first compiled or run):
 * - every value in the query is a parameter of `p`, passed through as it is, constants included
 *   (checked: a compiled value that is not a marker throws; so does arithmetic or string
 *   concatenation with a marker);
 * - parameters are flat: a value, or an array of values for an `in` list or a multi-row insert;
 *   the lengths of the arrays and the number of parameters (`values(p)` inserts one column per
 *   key) are part of the shape;
 * - it never branches on a parameter (a marker is truthy and never undefined), so the shape depends
 *   on the array lengths only; a query that differs by case is two templates;
 * - a value is never `undefined` when run (checked): pass `null` for SQL NULL.
 * A transaction whose executor has plugins (they may rewrite queries) builds and compiles every
 * time, as plain Kysely code would.
 */
import { createQueryId, type Compilable, type CompiledQuery, type DialectAdapter } from 'kysely';
import type { Tx } from '../db-schema';

type Params = Record<string, unknown>;

/** Stands for one value of `p` while the template is compiled. */
class Marker {
  constructor(
    readonly name: string,
    /** Index in an array parameter, or -1 for a single value. */
    readonly index: number,
  ) {}

  [Symbol.toPrimitive](): never {
    throw new Error(`query template: parameter ${this.name} is used in an expression; compute it before the call and pass the result`);
  }
}

interface Compiled<O> {
  query: CompiledQuery<O>;
  /** Per compiled parameter, the value of `p` that fills it. */
  slots: readonly Marker[];
}

export class QueryTemplate<P extends Params, O> {
  private readonly byAdapter = new WeakMap<DialectAdapter, Map<string, Compiled<O>>>();

  constructor(private readonly build: (db: Tx, p: P) => Compilable<O>) {}

  /** The compiled query for these values: the kept SQL with the values in their places. */
  compile(tx: Tx, params: P): CompiledQuery<O> {
    const executor = tx.getExecutor();
    if (executor.plugins.length > 0) return this.build(tx, params).compile();
    let shapes = this.byAdapter.get(executor.adapter);
    if (!shapes) this.byAdapter.set(executor.adapter, (shapes = new Map()));
    const key = shapeOf(params);
    let compiled = shapes.get(key);
    if (!compiled) {
      compiled = this.compileShape(tx, params);
      shapes.set(key, compiled);
    }
    const { query, slots } = compiled;
    const parameters: unknown[] = new Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const v = slot.index < 0 ? params[slot.name] : (params[slot.name] as readonly unknown[])[slot.index];
      if (v === undefined) throw new Error(`query template: parameter ${slot.name} is undefined; pass null for NULL`);
      parameters[i] = v;
    }
    return { query: query.query, sql: query.sql, parameters, queryId: createQueryId() };
  }

  async execute(tx: Tx, params: P): Promise<O[]> {
    return (await tx.executeQuery(this.compile(tx, params))).rows;
  }

  async executeTakeFirst(tx: Tx, params: P): Promise<O | undefined> {
    return (await this.execute(tx, params))[0];
  }

  private compileShape(tx: Tx, params: P): Compiled<O> {
    const markers = new Proxy(params, {
      get(target, name) {
        if (typeof name !== 'string') return undefined;
        const v = target[name];
        return Array.isArray(v) ? v.map((_, i) => new Marker(name, i)) : new Marker(name, -1);
      },
    });
    const query = this.build(tx, markers).compile();
    const slots = query.parameters.map((p) => {
      if (p instanceof Marker) return p;
      const shown = Array.isArray(p) ? 'an array' : typeof p === 'object' && p !== null ? 'an object' : String(p);
      throw new Error(`query template: a value (${shown}) in "${query.sql}" is not a parameter of the template`);
    });
    return { query, slots };
  }
}

/**
 * What besides the builder code decides a template's SQL: the lengths of the arrays, and the number
 * of parameters, since `values(p)` inserts a column per key. (Same number, other names: a name the
 * template uses is then missing, and its undefined value throws.)
 */
function shapeOf(params: Params): string {
  let key = '';
  let n = 0;
  for (const name in params) {
    n++;
    const v = params[name];
    if (Array.isArray(v)) key += `${name}:${v.length};`;
  }
  return `${key}${n}`;
}

export function queryTemplate<P extends Params, O>(build: (db: Tx, p: P) => Compilable<O>): QueryTemplate<P, O> {
  return new QueryTemplate(build);
}
