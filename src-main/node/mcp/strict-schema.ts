// Strict mode (`strict: true`) makes the model follow a function's schema exactly, but it accepts
// only a subset of JSON Schema: every object closes its properties (`additionalProperties: false`)
// and lists all of them as required, and some keywords are not supported. An MCP tool's schema is
// passed through unchanged either way; it is marked strict only when it already fits, since
// rewriting it (optional properties turned nullable) would change what the server receives.
// Subset as documented in https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
const UNSUPPORTED_KEYWORDS = new Set(['allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'patternProperties', 'unevaluatedProperties', 'propertyNames', 'minProperties', 'maxProperties', 'contains', 'minContains', 'maxContains', 'uniqueItems'])
const MAX_DEPTH = 10

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fits(schema: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false
  if (typeof schema === 'boolean') return false
  if (!isRecord(schema)) return false
  for (const key of Object.keys(schema)) if (UNSUPPORTED_KEYWORDS.has(key)) return false
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes('object') || isRecord(schema.properties)) {
    const properties = isRecord(schema.properties) ? schema.properties : {}
    const required = Array.isArray(schema.required) ? schema.required : []
    if (schema.additionalProperties !== false) return false
    if (Object.keys(properties).some((key) => !required.includes(key))) return false
    if (!Object.values(properties).every((value) => fits(value, depth + 1))) return false
  }
  if (schema.items !== undefined && !fits(schema.items, depth + 1)) return false
  if (Array.isArray(schema.anyOf) && !schema.anyOf.every((value) => fits(value, depth + 1))) return false
  for (const group of ['$defs', 'definitions']) {
    const defs = schema[group]
    if (defs !== undefined && (!isRecord(defs) || !Object.values(defs).every((value) => fits(value, depth + 1)))) return false
  }
  return true
}

/** Whether the schema can be sent with `strict: true` as it is. */
export function fitsStrictMode(schema: unknown): boolean {
  return isRecord(schema) && schema.type === 'object' && fits(schema, 0)
}
