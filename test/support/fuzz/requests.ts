import fc from 'fast-check';
import { BODY_RECIPES, FIELD_RECIPES, PATH_RECIPES, PATH_RECIPES_BY_OPERATION, pathRecipeKey, type PathValue } from './recipes.js';
import { SchemaArbitraries, type JsonSchema, type Overrides } from './schema-arbitraries.js';
import { ROUTES } from '../../../src/server/routes.js';
import { CALLER_KINDS, type CallerKind } from './world.js';

/** One operation of the published OpenAPI document. */
export interface Operation {
  id: string;
  method: string;
  /** the OpenAPI path, e.g. /v1/tenants/{ref} */
  path: string;
  params: { name: string; in: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      id: op.operationId,
      method: method.toUpperCase(),
      path,
      params: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
    })),
  );
}

export type FuzzBody = { json: unknown } | { text: string };

/** One generated request, still symbolic: references are resolved when it is sent. */
export interface FuzzRequest {
  operation: string;
  caller: CallerKind;
  forgery: number;
  path: Record<string, PathValue>;
  query: Record<string, unknown>;
  body: FuzzBody | undefined;
  /** the X-Dotmac-Reason header as sent, or none */
  reason: string | undefined;
  /** undefined: a fresh key on a POST; null: none; a string: that key (the same one recurs, to exercise replays) */
  idempotencyKey: string | null | undefined;
  /** the Content-Type of a body: JSON mostly, sometimes none or another */
  contentType: string | null;
}

const MALFORMED_JSON = fc.constantFrom('', '{', '{"slug":', 'null', '[]', '"text"', '0', 'true', '{slug:1}', "{'a':1}", '{"a":1}}', '\u0000', '{"a":"\\ud800"}', `${'['.repeat(3000)}${']'.repeat(3000)}`, '{"a":1e400}', '\ufeff{}');

const REASON = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).map(encodeURIComponent),
  fc.constantFrom('%E0%A4%A', '%zz', encodeURIComponent('a\u0007b'), encodeURIComponent('\u202eevil'), encodeURIComponent('x'.repeat(800)), 'plain text'),
);

const CONTENT_TYPE = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  fc.constantFrom(null, 'text/plain', 'application/json; charset=utf-16', 'application/merge-patch+json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/json, text/plain'),
);

const IDEMPOTENCY_KEY = fc.oneof({ weight: 16, arbitrary: fc.constant(undefined) }, fc.constant(null), fc.constantFrom('fz-replay', 'fz-replay-2'), fc.constantFrom('has space', 'x'.repeat(201), 'ünïcode'));

/** Every request the fuzz may send to one operation: valid and invalid parameters and bodies, from any caller. */
export function requestsFor(op: Operation, schemas: SchemaArbitraries): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const recipe = PATH_RECIPES_BY_OPERATION[op.id]?.[p.name] ?? PATH_RECIPES[pathRecipeKey(op.path, p.name)];
        if (!recipe) throw new Error(`${op.method} ${op.path} (${op.id}): no fuzz recipe for path parameter "${pathRecipeKey(op.path, p.name)}"; add one to PATH_RECIPES in test/support/fuzz/recipes.ts`);
        return [p.name, recipe];
      }),
    ),
  );
  const overrides: Overrides = {};
  const fieldArb = (name: string, schema: JsonSchema) => {
    const values = schemas.valid(schema, overrides);
    const recipe = FIELD_RECIPES[name];
    return recipe ? recipe(values) : values;
  };
  if (op.body) {
    const props = (schemas.resolve(op.body).properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, schema] of Object.entries(props)) if (FIELD_RECIPES[name]) overrides[name] = fieldArb(name, schema);
  }
  return fc.record({
    operation: fc.constant(op.id),
    // Callers without a valid token meet the same wall on every route, and an instance agent the
    // same 403 on every route but its own: they need fewer tries.
    caller: fc.oneof(...CALLER_KINDS.map((kind) => ({ weight: callerWeight(kind, op.id), arbitrary: fc.constant(kind) }))),
    forgery: fc.nat({ max: 100 }),
    path: pathArb,
    query: queryFor(op, schemas, fieldArb),
    body: bodyFor(op, schemas, overrides),
    reason: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, REASON),
    idempotencyKey: IDEMPOTENCY_KEY,
    contentType: CONTENT_TYPE,
  });
}

function queryFor(op: Operation, schemas: SchemaArbitraries, fieldArb: (name: string, schema: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const params = op.params.filter((p) => p.in === 'query');
  if (params.length === 0) return fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }));
  const valid = fc.record(Object.fromEntries(params.map((p) => [p.name, fieldArb(p.name, p.schema)])), { requiredKeys: params.filter((p) => p.required).map((p) => p.name) });
  const broken = fc
    .tuple(valid, fc.constantFrom(...params))
    .chain(([query, param]) => fc.tuple(fc.constant(query), fc.constant(param.name), invalidQueryValue(param.schema, schemas)))
    .map(([query, name, bad]) => ({ ...query, [name]: bad }));
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: broken });
}

/** A query value is text: the schema's invalid values written out, numbers that are not, and a repeated parameter. */
function invalidQueryValue(schema: JsonSchema, schemas: SchemaArbitraries): fc.Arbitrary<unknown> {
  const resolved = schemas.resolve(schema);
  const ways: fc.Arbitrary<unknown>[] = [schemas.invalid(schema), fc.array(schemas.valid(schema), { minLength: 2, maxLength: 3 })];
  if (resolved.type === 'integer' || resolved.type === 'number') ways.push(fc.constantFrom('abc', '1.5', '', '1e3', '0x10', ' 5', '-0', 'NaN', 'Infinity', '9'.repeat(400), '٣'));
  return fc.oneof(...ways);
}

function bodyFor(op: Operation, schemas: SchemaArbitraries, overrides: Overrides): fc.Arbitrary<FuzzBody | undefined> {
  if (!op.body) {
    if (op.method === 'GET') return fc.constant(undefined);
    return fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json })), MALFORMED_JSON.map((text) => ({ text })));
  }
  const schemaValues = schemas.valid(op.body, overrides) as fc.Arbitrary<Record<string, unknown>>;
  const recipe = BODY_RECIPES[op.id];
  const valid = recipe ? fc.oneof(schemaValues, recipe(schemaValues)) : schemaValues;
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((json) => ({ json })) },
    { weight: 3, arbitrary: schemas.invalid(op.body).map((json) => ({ json })) },
    { weight: 1, arbitrary: MALFORMED_JSON.map((text) => ({ text })) },
  );
}

function callerWeight(kind: CallerKind, operationId: string): number {
  if (kind === 'anonymous' || kind === 'forged') return 1;
  if (kind === 'instance') return ROUTES.find((route) => route.config.operationId === operationId)?.access.includes('instance') ? 6 : 1;
  return 3;
}
