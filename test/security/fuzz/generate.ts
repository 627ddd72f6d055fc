/**
 * Requests generated from an OpenAPI document: for every operation, a valid-looking base request
 * (real ids and the credentials its security asks for) and variants that break one thing each —
 * wrong types, boundary numbers, NUL and lone surrogates, huge strings, deep nesting, `__proto__`,
 * invalid percent-encoding, over-long path parameters, malformed JSON. Deterministic: the same
 * document gives the same requests.
 */

export interface FuzzRequest {
  method: string;
  /** Path with its parameters filled in, and the query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The operation it came from, for the failure message. */
  operation: string;
  variant: string;
}

type Schema = Record<string, any>;

export interface OperationInfo {
  method: string;
  path: string;
  security: Array<Record<string, string[]>> | undefined;
  parameters: Array<{ name: string; in: string; schema?: Schema; required?: boolean }>;
  body: Schema | undefined;
}

export function operationsOf(doc: any): OperationInfo[] {
  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        security: op.security ?? doc.security,
        parameters: op.parameters ?? [],
        body: content,
      });
    }
  }
  return operations;
}

/** Strings that schema patterns commonly want; the first one a pattern accepts is the valid sample. */
const PATTERN_CANDIDATES = [
  'abc',
  'A',
  '+33612345678',
  'ann@example.com',
  'en_US',
  'fr',
  '12:00',
  '2026-03-02',
  '2026-03-02T10:00:00.000Z',
  'TICKET_CALLED',
  'https://push.example.com/hook',
  '000000',
  'FR',
  'Europe/Paris',
  'apns',
];

function sampleString(schema: Schema): string {
  if (schema.format === 'date-time') return '2026-03-02T10:00:00.000Z';
  if (schema.format === 'uri') return 'https://push.example.com/hook';
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return PATTERN_CANDIDATES.find((candidate) => pattern.test(candidate)) ?? 'abc';
  }
  const min = schema.minLength ?? 1;
  return 'abcdefghij'.repeat(Math.ceil(min / 10)).slice(0, Math.max(min, Math.min(3, schema.maxLength ?? 3)));
}

/** A value the schema accepts, as far as simple sampling goes. */
export function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return sample(variants.find((v: Schema) => v.type !== 'null') ?? variants[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema);
    case 'integer':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return schema.minItems ? Array.from({ length: schema.minItems }, () => sample(schema.items, depth + 1)) : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** Bad values for a field of this schema (each replaces the field's value in one variant). */
function badValues(schema: Schema | undefined): Array<[string, unknown]> {
  const values: Array<[string, unknown]> = [
    ['nul', 'a\u0000b'],
    ['lone surrogate', 'a\ud800b'],
    ['huge string', 'x'.repeat(70_000)],
    ['long string', 'é'.repeat(5_000)],
    ['empty string', ''],
    ['number', 12345],
    ['negative', -1],
    ['float', 1.5],
    ['huge number', 1e308],
    ['unsafe integer', 2 ** 53 + 1],
    ['true', true],
    ['null', null],
    ['array', ['a', 1, null]],
    ['object', { a: 1 }],
    ['proto object', JSON.parse('{"__proto__":{"polluted":true}}')],
    ['deep', nest(200)],
    ['percent', '%E0%A4%A'],
    ['path', '../../etc/passwd'],
    ['script', '<script>alert(1)</script>'],
    ['placeholder', '{constructor}'],
  ];
  if (schema && (schema.type === 'integer' || schema.type === 'number')) {
    if (schema.minimum !== undefined) values.push(['below minimum', schema.minimum - 1]);
    if (schema.maximum !== undefined) values.push(['above maximum', schema.maximum + 1]);
    values.push(['zero', 0], ['int32 overflow', 2 ** 31], ['negative huge', -1e308]);
  }
  if (schema?.maxLength !== undefined) values.push(['over maxLength', 'y'.repeat(schema.maxLength + 1)]);
  return values;
}

/** encodeURIComponent, except that a lone surrogate goes out as the bytes of one (which no decoder accepts). */
function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

function nest(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Raw bodies that no schema should accept, or that JSON parsers have trouble with. */
const RAW_BODIES: Array<[string, string]> = [
  ['malformed json', '{"a":'],
  ['json string', '"just a string"'],
  ['json null', 'null'],
  ['json array', '[]'],
  ['proto key', '{"__proto__":{"isAdmin":true}}'],
  ['constructor key', '{"constructor":{"prototype":{"isAdmin":true}}}'],
  ['deep arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['deep objects', `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`],
  ['nul escape', '{"name":"a\\u0000b"}'],
  ['surrogate escape', '{"name":"a\\ud800b"}'],
  ['duplicate keys', '{"name":"a","name":"b"}'],
  ['too large', `{"name":"${'z'.repeat(200_000)}"}`],
  ['bom', '\ufeff{}'],
  ['empty', ''],
];

const BAD_PATH_VALUES: Array<[string, string]> = [
  ['bad percent', '%E0%A4%A'],
  ['nul', 'a%00b'],
  ['over-long', 'p'.repeat(101)],
  ['very long', 'q'.repeat(3000)],
  ['dot dot', '%2e%2e'],
  ['proto', '__proto__'],
  ['constructor', 'constructor'],
  ['unicode', '%F0%9F%98%80'],
  ['lone surrogate', '%ED%A0%80'],
  ['unknown id', 'zzz_unknown_0000'],
  ['space', 'a%20b'],
  ['slash', 'a%2Fb'],
];

const BAD_QUERIES = [
  '__proto__=1',
  'constructor[prototype]=1',
  'q=%00',
  'q=%E0%A4%A',
  'limit=-1',
  'limit=1e309',
  'limit=abc',
  'x=1',
  `q=${'w'.repeat(5000)}`,
];

export interface Credentials {
  /** The headers (and query) for a named security scheme of this service. */
  forScheme(scheme: string): Record<string, string>;
  /** A real id for a path parameter name, when the fixture has one. */
  idFor(parameter: string): string | undefined;
}

/** Headers for the first security requirement of the operation. */
function authHeaders(op: OperationInfo, credentials: Credentials): Record<string, string> {
  const requirement = op.security?.[0];
  if (!requirement) return {};
  return Object.assign({}, ...Object.keys(requirement).map((scheme) => credentials.forScheme(scheme)));
}

function fill(op: OperationInfo, credentials: Credentials, override?: { name: string; value: string }): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    override?.name === name ? override.value : encodeURIComponent(credentials.idFor(name) ?? 'id_unknown'),
  );
}

/** Every variant of one operation, base first. */
export function variantsOf(op: OperationInfo, credentials: Credentials): FuzzRequest[] {
  const headers = authHeaders(op, credentials);
  const operation = `${op.method} ${op.path}`;
  const withBody = op.method !== 'GET' && op.method !== 'DELETE';
  const jsonHeaders = withBody ? { ...headers, 'content-type': 'application/json' } : headers;
  const baseBody = op.body ? sample(op.body) : undefined;
  const base = (variant: string, extra: Partial<FuzzRequest> = {}): FuzzRequest => ({
    method: op.method,
    url: fill(op, credentials),
    headers: jsonHeaders,
    body: withBody && baseBody !== undefined ? JSON.stringify(baseBody) : undefined,
    operation,
    variant,
    ...extra,
  });
  const out: FuzzRequest[] = [];
  // DELETE with real ids would take the fixture away: only broken ids for it.
  if (op.method !== 'DELETE') out.push(base('base'));
  for (const param of op.path.match(/\{([^}]+)\}/g) ?? []) {
    const name = param.slice(1, -1);
    for (const [label, value] of BAD_PATH_VALUES) out.push(base(`path ${name}: ${label}`, { url: fill(op, credentials, { name, value }) }));
  }
  if (op.method === 'DELETE') return [...out, base('no credentials', { headers: {} })];
  for (const query of BAD_QUERIES) out.push(base(`query ${query.slice(0, 30)}`, { url: `${fill(op, credentials)}?${query}` }));
  for (const param of op.parameters.filter((p) => p.in === 'query')) {
    for (const [label, value] of badValues(param.schema).filter(([, v]) => typeof v !== 'object')) {
      const text = String(value).slice(0, 4000);
      out.push(base(`query ${param.name}: ${label}`, { url: `${fill(op, credentials)}?${param.name}=${percentEncode(text)}` }));
    }
  }
  for (const header of ['authorization', 'x-api-key', 'x-app-key']) {
    out.push(base(`header ${header}: percent`, { headers: { ...jsonHeaders, [header]: 'Bearer a%00b' } }));
    out.push(base(`header ${header}: long`, { headers: { ...jsonHeaders, [header]: `Bearer ${'h'.repeat(4000)}` } }));
  }
  out.push(base('no credentials', { headers: withBody ? { 'content-type': 'application/json' } : {} }));
  if (!withBody) return out;
  for (const [label, raw] of RAW_BODIES) out.push(base(`raw body: ${label}`, { body: raw }));
  out.push(base('text/plain body', { headers: { ...headers, 'content-type': 'text/plain' }, body: 'hello' }));
  const properties = Object.entries<Schema>(op.body?.properties ?? {});
  for (const [name, schema] of properties) {
    for (const [label, value] of badValues(schema)) {
      out.push(base(`body ${name}: ${label}`, { body: JSON.stringify({ ...(baseBody as object), [name]: value }) }));
    }
    // One level down, for objects like userData and settings.
    for (const [inner, innerSchema] of Object.entries<Schema>(schema.properties ?? {})) {
      for (const [label, value] of badValues(innerSchema).slice(0, 12)) {
        const nested = { ...(sample(schema) as object), [inner]: value };
        out.push(base(`body ${name}.${inner}: ${label}`, { body: JSON.stringify({ ...(baseBody as object), [name]: nested }) }));
      }
    }
  }
  out.push(base('body: unknown field', { body: JSON.stringify({ ...(baseBody as object), unknownField: 1 }) }));
  return out;
}
