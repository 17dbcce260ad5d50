/**
 * The project's own Docker network: a bridge every pod's sandbox joins, so each pod has its own
 * address and pods reach each other directly. Created when absent (with the configured subnet,
 * or one Docker picks); checked when present.
 */
import Docker from './dockerode';
import { InternalError } from '../../../api/errors';
import { isDockerStatus, mapDockerError } from './docker-errors';

export interface PodNetwork {
  name: string;
  id: string;
  subnets: string[];
}

function subnetsOf(info: Docker.NetworkInspectInfo): string[] {
  return (info.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s));
}

async function inspect(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  try {
    return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
  } catch (error) {
    if (isDockerStatus(error, 404)) return undefined;
    throw mapDockerError(error, `inspect network ${name}`);
  }
}

function check(info: Docker.NetworkInspectInfo, name: string, subnet: string | undefined): PodNetwork {
  if (info.Driver !== 'bridge') {
    throw new InternalError(`docker network ${name} exists with driver ${info.Driver}; berth needs a bridge network (remove it or choose another name)`);
  }
  const subnets = subnetsOf(info);
  if (subnet && !subnets.includes(subnet)) {
    throw new InternalError(
      `docker network ${name} exists with subnet ${subnets.join(', ') || 'none'}, not the configured ${subnet}; remove it (docker network rm ${name}) or configure its subnet`,
    );
  }
  return { name, id: info.Id, subnets };
}

export async function ensureNetwork(docker: Docker, name: string, subnet: string | undefined, labels: Record<string, string>): Promise<PodNetwork> {
  const existing = await inspect(docker, name);
  if (existing) return check(existing, name, subnet);
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: labels,
      ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
    });
  } catch (error) {
    // Another agent on this host created it first: fine, check theirs.
    if (!isDockerStatus(error, 409)) throw mapDockerError(error, `create network ${name}${subnet ? ` with subnet ${subnet}` : ''}`);
  }
  const created = await inspect(docker, name);
  if (!created) throw new InternalError(`docker network ${name} vanished right after it was created`);
  return check(created, name, subnet);
}
