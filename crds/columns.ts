/**
 * Printer columns shared by several kinds, copied from upstream's printers
 * (kubernetes `pkg/printers/internalversion/printers.go`). As with a CRD's
 * additionalPrinterColumns, Name is implied as the first column and not declared.
 */
import type { PrinterColumn } from './kind';

export const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** Containers, Images and Selector (-o wide) of a kind whose pod template sits at `templatePath`. */
export function templateColumns(templatePath: string, selectorPath: string): PrinterColumn[] {
  return [
    { name: 'Containers', type: 'string', priority: 1, jsonPath: `${templatePath}.spec.containers[*].name`, description: 'Names of each container in the template.' },
    { name: 'Images', type: 'string', priority: 1, jsonPath: `${templatePath}.spec.containers[*].image`, description: 'Images referenced by each container in the template.' },
    { name: 'Selector', type: 'string', priority: 1, jsonPath: selectorPath, description: 'Label selector for pods.' },
  ];
}
