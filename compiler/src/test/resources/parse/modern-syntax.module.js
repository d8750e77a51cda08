#!/usr/bin/env node
// ES2018-ES2023 syntax that test262-parser-tests 0.0.5 predates, as job code might use it.
import def, { a as b, "string name" as c } from "./m.js";
import * as ns from "./ns.js";
export * as everything from "./all.js";
export { b as "exported name", c };
export const answer = 42n + 0x2An + 1_000_000 + 0b1010 + 0o17 + .5e-3;

const { x, y: [first, , third = 3, ...others], ...rest } = await import("./data.js");
const nested = { ...rest, [`key${x}`]: first ?? third, async *gen() { yield* others; } };
let value = nested?.deep?.[x]?.(first) ?? null;
value ||= 1; value &&= 2; value ??= 3; value **= 2;
const re = /(?<year>\d{4})-(?<month>\d{2})\k<year>/dgsu;
const sets = /[\p{L}--[a-z]]/v;
const tagged = String.raw`\unicode ${value} \xz`;
const meta = import.meta.url;

class Base {
  static #count = 0;
  #secret = 1;
  static { Base.#count++; }
  static create() { return new this(); }
  get #hidden() { return this.#secret; }
  set #hidden(v) { this.#secret = v; }
  has(o) { return #secret in o; }
  async *[Symbol.asyncIterator]() { for await (const chunk of this.source) yield chunk; }
  field = () => this.#hidden;
  'quoted' = 1;
  42 = 'number';
}
class Derived extends Base {
  constructor(...args) { super(...args); this.target = new.target; }
  method() { return super.has?.(this); }
}
label: for (const [k, v] of Object.entries(nested)) {
  if (!v) continue label;
  try { JSON.parse(v); } catch { break label; } finally { void 0; }
}
export default async function main(state) {
  const results = await Promise.allSettled([fetch(state.url), (async () => 1)()]);
  return { ...state, results, total: results.length ** 2, flag: !!(state?.a || state?.b) };
}
