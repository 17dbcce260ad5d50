/**
 * `validateCustomResourceDefinition`: what upstream's ValidateCustomResourceDefinition checks
 * that a codec cannot: the name is <plural>.<group>, names are DNS labels, exactly one storage
 * version, unique versions, schemas present and structural, printer columns and the scale
 * subresource well formed. Causes carry upstream's field paths and messages.
 */
import type { Cause } from '../src/api/errors';
import { check } from '../src/api/decode';
import { isDNS1035Label, isDNS1123Subdomain, nameProblems } from '../src/api/names';
import { CustomResourceDefinition, CustomResourceDefinitionNames, CustomResourceDefinitionVersion } from '../src/api/types';
import { structuralSchemaProblems } from './structural-schema';

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

const invalid = (field: string, value: unknown, detail: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});
const required = (field: string, detail?: string): Cause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});

/** Every problem with a CustomResourceDefinition, as it arrives (not yet decoded); empty when valid. */
export function validateCustomResourceDefinition(value: unknown): Cause[] {
  const shape = check(CustomResourceDefinition, value);
  if (shape.length > 0) return shape;
  const crd = value as CustomResourceDefinition;
  const { spec } = crd;
  const causes: Cause[] = [];

  const name = crd.metadata.name ?? '';
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else {
    for (const p of nameProblems(name, 'dns1123-subdomain')) causes.push(invalid('metadata.name', name, p));
    if (name !== `${spec.names.plural}.${spec.group}`) causes.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }

  if (!spec.group) causes.push(required('spec.group'));
  else if (isDNS1123Subdomain(spec.group).length > 0) causes.push(invalid('spec.group', spec.group, isDNS1123Subdomain(spec.group).join(',')));
  else if (!spec.group.includes('.')) causes.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));

  causes.push(...namesProblems(spec.names, 'spec.names'));
  if (!spec.names.plural) causes.push(required('spec.names.plural'));
  if (!spec.names.kind) causes.push(required('spec.names.kind'));

  const versionNames = spec.versions.map((v) => v.name);
  spec.versions.forEach((version, i) => causes.push(...versionProblems(version, `spec.versions[${i}]`)));
  if (new Set(versionNames).size !== versionNames.length) causes.push(invalid('spec.versions', versionNames, 'must contain unique version names'));
  if (spec.versions.filter((v) => v.storage).length !== 1) {
    causes.push(invalid('spec.versions', versionNames, 'must have exactly one version marked as storage version'));
  }

  if (spec.preserveUnknownFields === true) {
    causes.push(
      invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'),
    );
  }
  // Conversion webhooks would be called over the network; berth serves every version as stored.
  if (spec.conversion && spec.conversion.strategy !== 'None') {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(spec.conversion.strategy)}: supported values: "None"`,
      field: 'spec.conversion.strategy',
    });
  }
  return causes;
}

function namesProblems(names: CustomResourceDefinitionNames, path: string): Cause[] {
  const causes: Cause[] = [];
  const label = (field: string, value: string | undefined): void => {
    if (!value) return;
    const problems = isDNS1035Label(value);
    if (problems.length > 0) causes.push(invalid(`${path}.${field}`, value, problems.join(',')));
  };
  const mixedCase = (field: string, value: string | undefined): void => {
    if (!value) return;
    const problems = isDNS1035Label(value.toLowerCase());
    if (problems.length > 0) causes.push(invalid(`${path}.${field}`, value, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
  };
  label('plural', names.plural);
  label('singular', names.singular);
  mixedCase('kind', names.kind);
  mixedCase('listKind', names.listKind);
  (names.shortNames ?? []).forEach((s, i) => label(`shortNames[${i}]`, s));
  (names.categories ?? []).forEach((c, i) => label(`categories[${i}]`, c));
  if (names.kind && names.kind === names.listKind) causes.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  return causes;
}

function versionProblems(version: CustomResourceDefinitionVersion, path: string): Cause[] {
  const causes: Cause[] = [];
  const nameIssues = isDNS1035Label(version.name);
  if (nameIssues.length > 0) causes.push(invalid(`${path}.name`, version.name, nameIssues.join(',')));

  const schema = version.schema?.openAPIV3Schema;
  if (schema === undefined) causes.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else causes.push(...structuralSchemaProblems(schema, `${path}.schema.openAPIV3Schema`));

  const scale = version.subresources?.scale;
  if (scale) {
    const scalePath = `${path}.subresources.scale`;
    if (!scale.specReplicasPath.startsWith('.spec.')) causes.push(invalid(`${scalePath}.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath.startsWith('.status.')) {
      causes.push(invalid(`${scalePath}.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
    }
    const selector = scale.labelSelectorPath;
    if (selector !== undefined && !selector.startsWith('.spec.') && !selector.startsWith('.status.')) {
      causes.push(invalid(`${scalePath}.labelSelectorPath`, selector, 'should be a json path under either .spec or .status'));
    }
  }

  (version.additionalPrinterColumns ?? []).forEach((column, i) => {
    const columnPath = `${path}.additionalPrinterColumns[${i}]`;
    const types = `must be one of ${PRINTER_COLUMN_TYPES.join(',')}`;
    if (!column.name) causes.push(required(`${columnPath}.name`));
    if (!column.type) causes.push(required(`${columnPath}.type`, types));
    else if (!PRINTER_COLUMN_TYPES.includes(column.type)) causes.push(invalid(`${columnPath}.type`, column.type, types));
    if (column.format && !PRINTER_COLUMN_FORMATS.includes(column.format)) {
      causes.push(invalid(`${columnPath}.format`, column.format, `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`));
    }
    // upstream names this field JSONPath in its errors, so kubectl users see the same path.
    if (!column.jsonPath) causes.push(required(`${columnPath}.JSONPath`));
    else if (!column.jsonPath.startsWith('.')) causes.push(invalid(`${columnPath}.JSONPath`, column.jsonPath, 'must be a simple json path starting with .'));
  });
  return causes;
}
