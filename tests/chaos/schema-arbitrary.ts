import fc from 'fast-check';

/** The part of JSON Schema the API's request schemas use (zod → OpenAPI through @fastify/swagger). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
  nullable?: boolean;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}

/** Strings a handler might stumble over: empty, huge, control and astral characters, SQL, paths. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  "' OR 1=1 --",
  '../../etc/passwd',
  '😀'.repeat(40),
  'x'.repeat(5000),
  '-1',
  'NaN',
  '1e309',
  '2026-02-30T25:61:00Z',
  '{"a":1}',
  '__proto__',
  'constructor',
];

const anyJson = fc.oneof(
  { maxDepth: 2 },
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 2 ** 53 + 1, 1e308, -0.5),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri') return fc.webUrl();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // A pattern JavaScript cannot compile: any string then.
    }
  }
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 200));
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  );
}

/**
 * Bodies shaped like `schema`, most of them valid, some with one field swapped for anything at
 * all (`mutation` is the chance per field): enough valid input to reach the handlers, enough
 * invalid input to exercise every rejection.
 */
export function arbitraryFor(
  schema: JsonSchema | undefined,
  mutation = 0.1,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  const shaped = shapedFor(schema, mutation, depth);
  if (mutation <= 0) return shaped;
  const weight = Math.max(1, Math.round(mutation * 100));
  return fc.oneof({ weight: 100 - weight, arbitrary: shaped }, { weight, arbitrary: anyJson });
}

function shapedFor(schema: JsonSchema, mutation: number, depth: number): fc.Arbitrary<unknown> {
  const next = (s: JsonSchema | undefined) => arbitraryFor(s, mutation, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => shapedFor(s, mutation, depth + 1)));
  if (schema.allOf?.length) {
    const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      Object.assign(merged.properties!, part.properties ?? {});
      merged.required!.push(...(part.required ?? []));
    }
    return shapedFor(merged, mutation, depth);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : undefined);
  let arbitrary: fc.Arbitrary<unknown>;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(properties)) model[key] = next(sub);
      const optional = Object.keys(properties).filter((k) => !required.has(k));
      arbitrary = fc.record(model, { requiredKeys: [...required].filter((k) => k in properties) });
      // Sometimes every optional field at once, so the handler's less-travelled branches run too.
      if (optional.length) arbitrary = fc.oneof(arbitrary, fc.record(model));
      break;
    }
    case 'array':
      arbitrary = fc.array(next(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 20),
      });
      break;
    case 'integer':
      arbitrary = fc.integer({
        min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
      });
      break;
    case 'number':
      arbitrary = fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
      break;
    case 'boolean':
      arbitrary = fc.boolean();
      break;
    case 'string':
      arbitrary = stringFor(schema);
      break;
    default:
      arbitrary = anyJson;
  }
  return types.includes('null') || schema.nullable ? fc.option(arbitrary, { nil: null }) : arbitrary;
}
