import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schema subset the published OpenAPI document uses: values
 * that satisfy a schema, and values that break it in one place. A keyword it does not know throws,
 * so a contract that starts using one (oneOf, multipleOf, …) fails the fuzz until it is taught here
 * rather than being fuzzed as if the keyword were not there.
 */

export type JsonSchema = Record<string, unknown>;

const ANNOTATIONS = ['description', 'example', 'examples', 'title', 'deprecated', 'default', 'readOnly', 'writeOnly'];
const KNOWN = new Set([
  ...ANNOTATIONS,
  ...['type', 'enum', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum'],
  ...['properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', '$ref', 'allOf'],
]);
const FORMATS = new Set(['email', 'date-time']);

/** Arbitraries that stand in for one property wherever it appears (e.g. a `reseller` that names a real one). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

export class SchemaArbitraries {
  constructor(private readonly schemas: Record<string, JsonSchema>) {}

  /** $ref followed and allOf merged, with every keyword checked against what this converter knows. */
  resolve(schema: JsonSchema): JsonSchema {
    for (const key of Object.keys(schema)) {
      if (!KNOWN.has(key)) throw new Error(`the fuzz's schema converter does not know the keyword "${key}" (in ${JSON.stringify(schema).slice(0, 120)}); teach test/support/fuzz/schema-arbitraries.ts`);
    }
    if (typeof schema.format === 'string' && !FORMATS.has(schema.format)) throw new Error(`the fuzz's schema converter does not know the format "${schema.format}"`);
    if (typeof schema.$ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name === undefined ? undefined : this.schemas[name];
      if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
      return this.resolve(target);
    }
    if (Array.isArray(schema.allOf)) {
      const parts = (schema.allOf as JsonSchema[]).map((part) => this.resolve(part));
      if (parts.some((part) => part.type !== 'object')) throw new Error('allOf is supported for objects only');
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
        required: parts.flatMap((part) => (part.required as string[] | undefined) ?? []),
        ...(parts.some((part) => part.additionalProperties === false) ? { additionalProperties: false } : {}),
      };
    }
    return schema;
  }

  /** Values the schema accepts. */
  valid(raw: JsonSchema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const types = typesOf(schema);
    return fc.oneof(...types.map((type) => this.validOfType(schema, type, overrides)));
  }

  private validOfType(schema: JsonSchema, type: string, overrides: Overrides): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({ min: num(schema.minimum) ?? -1_000_000, max: num(schema.maximum) ?? 1_000_000 });
      case 'number':
        return fc.double({ min: num(schema.minimum) ?? -1e9, max: num(schema.maximum) ?? 1e9, noNaN: true });
      case 'string':
        return validString(schema);
      case 'array': {
        const minLength = num(schema.minItems) ?? 0;
        return fc.array(this.valid((schema.items as JsonSchema | undefined) ?? {}, overrides), { minLength, maxLength: Math.min(num(schema.maxItems) ?? 3, Math.max(3, minLength)) });
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
        const required = (schema.required ?? []) as string[];
        const model = Object.fromEntries(Object.entries(properties).map(([key, prop]) => [key, overrides[key] ?? this.valid(prop, overrides)]));
        return fc.record(model, { requiredKeys: required.filter((key) => key in properties) });
      }
      default:
        throw new Error(`the fuzz's schema converter does not know the type "${type}"`);
    }
  }

  /** Values the schema refuses, each wrong in one way: type, range, length, pattern, enum, a missing or unknown property. */
  invalid(raw: JsonSchema): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const types = typesOf(schema);
    const wrongTypes = Object.entries(SAMPLE_OF_TYPE).filter(([type]) => !accepts(types, type)).map(([, sample]) => sample);
    const ways: fc.Arbitrary<unknown>[] = [];
    if (wrongTypes.length > 0) ways.push(fc.constantFrom(...wrongTypes));
    if (Array.isArray(schema.enum)) {
      const allowed = schema.enum as unknown[];
      ways.push(fc.oneof(fc.string(), ...allowed.filter((v) => typeof v === 'string').map((v) => fc.constantFrom(`${v as string} `, (v as string).toUpperCase(), `${v as string}x`))).filter((v) => !allowed.includes(v)));
    } else if (types.includes('string')) {
      ways.push(...invalidStrings(schema));
    }
    if (types.includes('integer') || types.includes('number')) ways.push(...invalidNumbers(schema, types.includes('integer')));
    if (types.includes('object')) ways.push(...this.invalidObjects(schema));
    if (types.includes('array') && schema.items) {
      ways.push(fc.array(this.invalid(schema.items as JsonSchema), { minLength: 1, maxLength: 3 }));
      const minItems = num(schema.minItems);
      const maxItems = num(schema.maxItems);
      if (minItems !== undefined && minItems > 0) ways.push(fc.array(this.valid(schema.items as JsonSchema), { maxLength: minItems - 1 }));
      if (maxItems !== undefined) ways.push(fc.array(this.valid(schema.items as JsonSchema), { minLength: maxItems + 1, maxLength: maxItems + 1 }));
    }
    if (ways.length === 0) throw new Error(`no invalid value exists for ${JSON.stringify(schema).slice(0, 120)}`);
    return fc.oneof(...ways);
  }

  private invalidObjects(schema: JsonSchema): fc.Arbitrary<unknown>[] {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = ((schema.required ?? []) as string[]).filter((key) => key in properties);
    const base = this.valid(schema) as fc.Arbitrary<Record<string, unknown>>;
    const ways: fc.Arbitrary<unknown>[] = [];
    if (required.length > 0) {
      ways.push(fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => omit(value, key)));
    }
    if (schema.additionalProperties === false) {
      const unknownKey = fc.oneof(fc.constantFrom('id', 'status', 'version', 'tenant_id', '__proto__', 'constructor', ''), fc.string({ maxLength: 12 })).filter((key) => !(key in properties));
      ways.push(fc.tuple(base, unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([value, key, extra]) => withKey(value, key, extra)));
    }
    const keys = Object.keys(properties);
    if (keys.length > 0) {
      const broken = fc.constantFrom(...keys).chain((key) => fc.tuple(base, fc.constant(key), this.invalid(properties[key]!)));
      ways.push(broken.map(([value, key, bad]) => withKey(value, key, bad)));
    }
    return ways;
  }
}

const SAMPLE_OF_TYPE: Record<string, unknown> = { string: 'text', integer: 7, number: 1.5, boolean: true, null: null, object: { a: 1 }, array: [1, 'two'] };

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map((v) => (v === null ? 'null' : typeof v)))];
  // {} (e.g. additionalProperties: {}) accepts anything
  return Object.keys(SAMPLE_OF_TYPE);
}

function accepts(types: string[], type: string): boolean {
  if (types.includes(type)) return true;
  return type === 'integer' && types.includes('number');
}

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

function lengthFits(schema: JsonSchema) {
  const min = num(schema.minLength) ?? 0;
  const max = num(schema.maxLength) ?? Number.POSITIVE_INFINITY;
  return (s: string) => s.length >= min && s.length <= max;
}

const EMAIL = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('test', 'example', 'com', 'net')).map(([local, host, tld]) => `${local.replace(/\.+$/, '').replace(/\.\./g, '.')}x@${host}.${tld}`);

/** ISO-8601 UTC times, mostly near now (what a service would take), some far off. */
const DATE_TIME = fc.oneof(
  fc.integer({ min: -6 * 24 * 3600_000, max: 60_000 }).map((offset) => new Date(Date.now() + offset).toISOString()),
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
);

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const fits = lengthFits(schema);
  const min = num(schema.minLength) ?? 0;
  const max = Math.min(num(schema.maxLength) ?? 60, 60);
  if (schema.format === 'email') return EMAIL.filter(fits);
  if (schema.format === 'date-time') return DATE_TIME;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const ways: fc.Arbitrary<string>[] = [fc.stringMatching(pattern).filter(fits)];
    // A pattern that most text satisfies (the human-text rule) is also fed the rest of Unicode.
    const unicode = fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
    const sample = fc.sample(unicode, { numRuns: 50, seed: 1 });
    if (sample.filter((s) => pattern.test(s)).length >= 20) ways.push(unicode.filter((s) => pattern.test(s) && fits(s)));
    return fc.oneof(...ways);
  }
  const longest = num(schema.maxLength);
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }).filter(fits),
    ...(longest !== undefined ? [fc.string({ minLength: longest, maxLength: longest })] : []),
  );
}

function invalidStrings(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const ways: fc.Arbitrary<unknown>[] = [];
  const min = num(schema.minLength);
  const max = num(schema.maxLength);
  if (min !== undefined && min > 0) ways.push(fc.string({ maxLength: min - 1 }));
  if (max !== undefined) ways.push(fc.string({ minLength: max + 1, maxLength: max + 40 }), fc.constant('x'.repeat(max * 50)));
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const nasty = ['a\u0007b', 'a\u001b[2Jb', 'a\u202eb', 'a\nb', 'A', '-a', 'a-', '../x', 'a b', 'a\u0000b', ' '];
    ways.push(fc.oneof(fc.constantFrom(...nasty), fc.string({ unit: 'binary', maxLength: 20 })).filter((s) => !pattern.test(s)));
  }
  if (schema.format === 'email') ways.push(fc.constantFrom('not-an-email', 'a@', '@b.test', 'a@b', 'a b@c.test', 'a@@b.test'));
  if (schema.format === 'date-time') ways.push(fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-12-02 15:00:00', '2026-12-02T25:00:00Z', ''));
  return ways;
}

function invalidNumbers(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown>[] {
  const ways: fc.Arbitrary<unknown>[] = [];
  const min = num(schema.minimum);
  const max = num(schema.maximum);
  if (min !== undefined) ways.push(fc.integer({ min: min - 1_000_000, max: min - 1 }), fc.constant(-1e308));
  if (max !== undefined) ways.push(fc.integer({ min: max + 1, max: max + 1_000_000 }), fc.constantFrom(1e308, Number.MAX_SAFE_INTEGER + 2));
  if (integer) ways.push(fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noInteger: true }));
  return ways;
}

function omit(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** Sets a key as an own property, even "__proto__", the way JSON.parse would read it. */
function withKey(value: Record<string, unknown>, key: string, item: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: item, enumerable: true, configurable: true, writable: true });
  return copy;
}
