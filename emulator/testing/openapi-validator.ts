import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

/**
 * Places where real Facturapi responses carry null but the spec's schema says only "string".
 * Documented in docs/facturapi.md (a new organization has all-null certificate fields), so the
 * emulator keeps the real behaviour and the validator widens exactly these, nothing else.
 */
const KNOWN_NULLABLE: string[][] = ['certificate', 'fiel'].flatMap((block) =>
  ['updated_at', 'expires_at', 'serial_number'].map((field) => ['Organization', 'properties', block, 'properties', field]),
);

/** OpenAPI 3.0's `nullable: true` (still used in this 3.1 spec) → JSON Schema `type: [t, 'null']`. */
function convertNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(convertNullable);
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record.nullable === true) {
    if (typeof record.type === 'string') record.type = [record.type, 'null'];
    delete record.nullable;
  }
  Object.values(record).forEach(convertNullable);
}

function allowNull(schemas: Record<string, unknown>, path: string[]): void {
  const target = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], schemas) as Record<string, unknown> | undefined;
  if (!target || typeof target.type !== 'string') throw new Error(`Spec changed: no string schema at ${path.join('.')}`);
  target.type = [target.type, 'null'];
}

/** Validates JSON against `#/components/schemas/<name>` of the Facturapi OpenAPI spec. */
export function loadSpecValidator(specPath: string): (schemaName: string, data: unknown) => string[] {
  const spec = parse(readFileSync(specPath, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  convertNullable(spec);
  for (const path of KNOWN_NULLABLE) allowNull(spec.components.schemas, path);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('hex', /^[0-9a-fA-F]*$/);
  ajv.addSchema({ $id: 'facturapi-spec', components: spec.components });
  return (schemaName, data) => {
    const validate = ajv.getSchema(`facturapi-spec#/components/schemas/${schemaName}`);
    if (!validate) throw new Error(`No schema ${schemaName} in the spec`);
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };
}
