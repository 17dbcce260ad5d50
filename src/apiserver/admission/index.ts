/**
 * The admission chain every write passes: each plugin may mutate (defaulting), then every plugin
 * validates and all causes are reported together.
 */
import type { Cause } from '../../api/errors';
import type { Obj } from '../../api/object';
import type { Registry } from '../registry';
import type { Admission, AdmissionRequest } from './admission';
import { lifecycleDefaults } from './lifecycle-defaults';

export interface AdmissionPlugin {
  name: string;
  mutate?(obj: Obj, request: AdmissionRequest): void;
  validate?(obj: Obj, request: AdmissionRequest): Cause[];
}

export function chain(plugins: AdmissionPlugin[]): Admission {
  return {
    mutate(obj, request) {
      for (const p of plugins) p.mutate?.(obj, request);
    },
    validate(obj, request) {
      return plugins.flatMap((p) => p.validate?.(obj, request) ?? []);
    },
  };
}

export function defaultAdmission(_registry: Registry): Admission {
  return chain([lifecycleDefaults]);
}
