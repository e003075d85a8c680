/* eslint-disable @typescript-eslint/no-explicit-any -- JSON Schemas are read as loose JSON */
/**
 * Values for the API fuzz: a small seeded generator, values that fit a JSON Schema, and the hostile
 * ones (wrong types, huge and deep bodies, unicode and NUL, prototype keys).
 */
export type Random = () => number;

/** mulberry32: small, seeded, good enough to make a run repeatable from its seed. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '🙂🙃‍🔥', 'مرحبا', 'Ω≈ç√∫', 'é'.normalize('NFD'), '\u202eabc', '\uFEFF',
  '%00', '../../etc/passwd', '<script>alert(1)</script>', "' or 1=1 --", '${7*7}', '{{7*7}}', 'null', 'true', '-1', '1e309', 'NaN',
  '__proto__', 'constructor', 'x'.repeat(10_001), '\n'.repeat(1000), 'Simpang Tanjungpura', 'rtsp://127.0.0.1:1/x',
];

export const NASTY_NUMBERS = [0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MIN_VALUE];

type Schema = Record<string, any>;

/** A value that fits `schema` as far as this simple generator understands it. */
export function fitting(random: Random, schema: Schema | undefined, pools: { strings: string[] }, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.enum) return pick(random, schema.enum as unknown[]);
  if (schema.const !== undefined) return schema.const;
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives) return fitting(random, pick(random, alternatives), pools, depth + 1);
  const type = Array.isArray(schema.type) ? pick(random, schema.type as string[]) : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return pick(random, pools.strings.filter((s) => /^[0-9a-f-]{36}$/.test(s)).concat(crypto.randomUUID()));
      if (schema.format === 'date') return '2026-03-02';
      if (schema.format === 'date-time') return '2026-03-02T08:00:00+08:00';
      return random() < 0.5 ? pick(random, pools.strings) : `soak-${Math.floor(random() * 1e6)}`;
    case 'integer': return Math.floor(random() * Math.min(1000, Number(schema.maximum ?? 1000))) + Number(schema.minimum ?? 0);
    case 'number': return random() * 100;
    case 'boolean': return random() < 0.5;
    case 'array': return Array.from({ length: Math.floor(random() * 3) + Number(schema.minItems ?? 0) }, () => fitting(random, schema.items as Schema, pools, depth + 1));
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties)) if (required.has(name) || random() < 0.5) out[name] = fitting(random, property, pools, depth + 1);
      return out;
    }
    default: return random() < 0.5 ? {} : 'x';
  }
}

/** Replace one node of `value` (or the whole) with something hostile. */
export function hostile(random: Random, value: unknown, depth = 0): unknown {
  const roll = random();
  if (value && typeof value === 'object' && !Array.isArray(value) && roll < 0.6 && depth < 5) {
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (entries.length > 0 && random() < 0.7) {
      const [key, inner] = pick(random, entries);
      out[key] = hostile(random, inner, depth + 1);
    } else {
      out[pick(random, ['__proto__', 'constructor', 'extra', 'é', '\u0000', ''])] = hostile(random, null, depth + 1);
    }
    return out;
  }
  switch (Math.floor(random() * 10)) {
    case 0: return pick(random, NASTY_STRINGS);
    case 1: return pick(random, NASTY_NUMBERS);
    case 2: return random() < 0.5 ? null : !value;
    case 3: return [value, value];
    case 4: return { value };
    case 5: return 'ж'.repeat(Math.floor(random() * 300_000));
    case 6: return deep(Math.floor(random() * 2000) + 10, random() < 0.5);
    case 7: return String(value) + pick(random, NASTY_STRINGS);
    case 8: return Array.from({ length: Math.floor(random() * 5000) }, (_, i) => i);
    default: return pick(random, NASTY_STRINGS);
  }
}

/** `[[[…]]]` or `{"a":{"a":…}}` nested `levels` deep. */
export function deep(levels: number, arrays: boolean): unknown {
  let out: unknown = 1;
  for (let i = 0; i < levels; i += 1) out = arrays ? [out] : { a: out };
  return out;
}

/** JSON text nested deeper than any parser's stack, built as text. */
export function deepText(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}
