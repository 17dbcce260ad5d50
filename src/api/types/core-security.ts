/** core/v1 security contexts, for a container and for a whole pod. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, struct } from '../codecs';
import { int64 } from '../scalars';

export const SELinuxOptions = struct(
  'SELinuxOptions',
  {},
  {
    user: described(t.string, 'SELinux user label.'),
    role: described(t.string, 'SELinux role label.'),
    type: described(t.string, 'SELinux type label.'),
    level: described(t.string, 'SELinux level label.'),
  },
);

export const WindowsSecurityContextOptions = struct(
  'WindowsSecurityContextOptions',
  {},
  {
    gmsaCredentialSpecName: t.string,
    gmsaCredentialSpec: t.string,
    runAsUserName: t.string,
    hostProcess: t.boolean,
  },
);

export const SeccompProfile = struct(
  'SeccompProfile',
  { type: described(enumOf('SeccompProfileType', ['Unconfined', 'RuntimeDefault', 'Localhost']), 'Which kind of seccomp profile.') },
  { localhostProfile: described(t.string, 'Path of a profile on the node, for type Localhost.') },
);

export const AppArmorProfile = struct(
  'AppArmorProfile',
  { type: described(enumOf('AppArmorProfileType', ['Unconfined', 'RuntimeDefault', 'Localhost']), 'Which kind of AppArmor profile.') },
  { localhostProfile: described(t.string, 'Name of a profile loaded on the node, for type Localhost.') },
);

export const Capabilities = struct(
  'Capabilities',
  {},
  {
    add: described(atomicList(t.string), 'Capabilities to add.'),
    drop: described(atomicList(t.string), 'Capabilities to remove.'),
  },
);

const runAs = {
  runAsUser: described(int64, 'The UID to run the entrypoint of the container process.'),
  runAsGroup: described(int64, 'The GID to run the entrypoint of the container process.'),
  runAsNonRoot: described(t.boolean, 'The container must run as a non-root user; checked before it starts.'),
  seLinuxOptions: described(SELinuxOptions, 'The SELinux context to apply.'),
  windowsOptions: described(WindowsSecurityContextOptions, 'Windows-specific settings.'),
  seccompProfile: described(SeccompProfile, 'The seccomp profile to apply.'),
  appArmorProfile: described(AppArmorProfile, 'The AppArmor profile to apply.'),
};

export const SecurityContext = struct(
  'SecurityContext',
  {},
  {
    ...runAs,
    capabilities: described(Capabilities, 'Capabilities to add or drop when running the container.'),
    privileged: described(t.boolean, 'Run the container in privileged mode.'),
    readOnlyRootFilesystem: described(t.boolean, 'Mount the container root filesystem read-only.'),
    allowPrivilegeEscalation: described(t.boolean, 'Whether a process can gain more privileges than its parent.'),
    procMount: described(enumOf('ProcMountType', ['Default', 'Unmasked']), 'The type of proc mount to use.'),
  },
);
export type SecurityContext = t.TypeOf<typeof SecurityContext>;

export const Sysctl = struct('Sysctl', {
  name: described(t.string, 'Name of a property to set.'),
  value: described(t.string, 'Value of the property to set.'),
});

export const PodSecurityContext = struct(
  'PodSecurityContext',
  {},
  {
    ...runAs,
    supplementalGroups: described(atomicList(int64), 'Groups added to the first process of each container.'),
    supplementalGroupsPolicy: described(enumOf('SupplementalGroupsPolicy', ['Merge', 'Strict']), 'How supplemental groups are computed.'),
    fsGroup: described(int64, 'A group that owns the pod volumes and is added to each container.'),
    fsGroupChangePolicy: described(enumOf('PodFSGroupChangePolicy', ['OnRootMismatch', 'Always']), 'When volume ownership is changed.'),
    sysctls: described(atomicList(Sysctl), 'Namespaced sysctls for the pod.'),
    seLinuxChangePolicy: described(t.string, 'How the SELinux context is applied to volumes: MountOption or Recursive.'),
  },
);
export type PodSecurityContext = t.TypeOf<typeof PodSecurityContext>;
