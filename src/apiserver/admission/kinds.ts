/** Plugins that concern one kind: `onKind('apps', 'Deployment', { mutate, validate })`. */
import type { Cause } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { ResourceType } from '../registry';
import type { AdmissionRequest } from './admission';
import type { AdmissionPlugin } from './index';

export function isKind(type: ResourceType, group: string, kind: string): boolean {
  return type.group === group && type.kind === kind;
}

export interface KindHooks {
  mutate?(obj: Obj, request: AdmissionRequest): void;
  validate?(obj: Obj, request: AdmissionRequest): Cause[];
}

/** A plugin whose hooks run only for objects of `group`/`kind` (group '' is core). */
export function onKind(name: string, group: string, kind: string, hooks: KindHooks): AdmissionPlugin {
  const plugin: AdmissionPlugin = { name };
  const { mutate, validate } = hooks;
  if (mutate) plugin.mutate = (obj, request) => (isKind(request.type, group, kind) ? mutate(obj, request) : undefined);
  if (validate) plugin.validate = (obj, request) => (isKind(request.type, group, kind) ? validate(obj, request) : []);
  return plugin;
}
