/**
 * Unknown fields in request bodies, judged against each kind's schema, as `fieldValidation` asks:
 * Strict rejects them (400, naming each), Warn drops them with a warning, Ignore drops them.
 */
import { BadRequest } from '../api/errors';
import type { Obj } from '../api/object';
import { pruneUnknownFields, unknownFields } from '../api/unknown-fields';
import type { FieldValidation } from './handlers/context';
import type { JsonSchema } from '../api/schema';

export interface FieldSchemas {
  /** Returns the object to store (unknown fields dropped) and the warnings to send. */
  check(schema: JsonSchema, obj: Obj, mode: FieldValidation): { object: Obj; warnings: string[] };
}

export const schemaFieldCheck: FieldSchemas = {
  check(schema, obj, mode) {
    const unknown = unknownFields(obj, schema);
    if (unknown.length === 0) return { object: obj, warnings: [] };
    const messages = unknown.map((path) => `unknown field "${path}"`);
    if (mode === 'Strict') throw new BadRequest(`strict decoding error: ${messages.join(', ')}`);
    return { object: pruneUnknownFields(obj, schema) as Obj, warnings: mode === 'Warn' ? messages : [] };
  },
};
