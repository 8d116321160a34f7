import fc from 'fast-check';
import type { z } from 'zod';

/**
 * Generated request bodies for a channel, from its strict zod schema: values of the right shape with
 * hostile content (injection strings, control and bidi characters, huge strings, edge numbers),
 * the same with a key dropped, added (prototype keys among them) or of the wrong type, a
 * "__proto__" written into the JSON text itself, and garbage of any shape.
 */
const STRINGS = [
  '', ' ', 'CL1042', 'cl1042', 'ZZ9999', 'INV-100001', 'CR-100001', 'dana', 'sue', 'amy', 'all', 'card', 'admin', 'clerk',
  'x@evil.example', 'billing@northwind.example', '2026-11-20', '2026-02-30', '9999-99-99', '2026-11-20T15:00:00Z',
  "' OR 1=1 --", '"; DROP TABLE audit_log; --', '<script>alert(1)</script>', '../../../etc/passwd', '\u0000', '\u202e\u0007',
  '🙂🙂', '%s%n%x', '4242424242424242', '__proto__', 'constructor', 'toString', 'correct horse 1', '123456', 'NaN',
  'A'.repeat(5_000), 'x'.repeat(20_000),
];
const NUMBERS = [0, -1, 1, 2, 3, 7, 42, 100, 1_000, 22_700, 65_535, 65_536, 2 ** 31, 2 ** 53, -(2 ** 53), 0.5, -0, 1e308, -1e-308];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'approval', 'staff', 'actor'];

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const MISSING = Symbol('missing');

/** Values of the schema's shape with hostile content: what a page that knows the contract could send. */
function shaped(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...STRINGS) }, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }));
    case 'number':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NUMBERS) }, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, string>), 'bogus', '');
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]), 'not-it');
    case 'optional':
    case 'default':
      return fc.oneof(fc.constant(MISSING), shaped(d.innerType as z.ZodType, depth));
    case 'nullable':
      return fc.oneof(fc.constant(null), shaped(d.innerType as z.ZodType, depth));
    case 'union':
      return fc.oneof(...(d.options as z.ZodType[]).map((o) => shaped(o, depth)));
    case 'pipe':
      return shaped(d.in as z.ZodType, depth);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(shaped(d.element as z.ZodType, depth + 1), { maxLength: 4 });
    case 'object': {
      const shape = d.shape as Record<string, z.ZodType>;
      const keys = Object.keys(shape);
      if (keys.length === 0) return fc.constant({});
      return fc.tuple(...keys.map((k) => shaped(shape[k]!, depth + 1))).map((values) => {
        const o: Record<string, unknown> = {};
        keys.forEach((k, i) => {
          if (values[i] !== MISSING) o[k] = values[i];
        });
        return o;
      });
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
}

const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, '', [], {}, [[]], { a: {} }, 'x'.repeat(20_000)),
  fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true }),
);

/** Turns a shaped value into the body text of a request, mutated or not. */
export function bodies(schema: z.ZodType): fc.Arbitrary<string> {
  const base = shaped(schema);
  const mutated = fc.tuple(base, fc.nat(), fc.constantFrom('drop', 'extra', 'retype', 'proto', 'wrap'), fc.constantFrom(...PROTO_KEYS), wrongValue).map(
    ([v, n, how, key, wrong]) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(how === 'wrap' ? [v] : { [key]: wrong });
      const o = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(o);
      const pick = keys.length > 0 ? keys[n % keys.length]! : 'x';
      if (how === 'drop') delete o[pick];
      if (how === 'retype') o[pick] = wrong;
      if (how === 'extra') Object.defineProperty(o, key, { value: wrong, enumerable: true, configurable: true, writable: true });
      if (how === 'wrap') return JSON.stringify([o]);
      const text = JSON.stringify(o);
      // A "__proto__" key written into the JSON text itself, as a raw body would carry it.
      if (how === 'proto') return `{"__proto__":{"role":"admin","approvedBy":"dana","isAdmin":true},"constructor":{"prototype":{"x":1}}${text === '{}' ? '' : `,${text.slice(1, -1)}`}}`;
      return text;
    },
  );
  const garbage = fc.oneof(
    { weight: 20, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 6, arbitrary: fc.constantFrom('[]', 'null', '0', '"text"', 'true', '{"__proto__":null}') },
    { weight: 1, arbitrary: fc.constant(`"${'y'.repeat(100_000)}"`) },
  );
  return fc.oneof({ weight: 5, arbitrary: base.map((v) => JSON.stringify(v)) }, { weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: garbage });
}

