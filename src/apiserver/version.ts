/** `/version`: the Kubernetes version berth speaks (strict semver, as `kubectl version` requires). */
import { version as berthVersion } from '../../package.json';

export const kubernetesVersion = { major: '1', minor: '32', gitVersion: 'v1.32.0' };

export function versionInfo(): Record<string, string> {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: `${kubernetesVersion.gitVersion}+berth.${berthVersion}`,
    gitCommit: 'berth',
    gitTreeState: 'clean',
    buildDate: '2026-11-25T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
