/**
 * `berth scale KIND/NAME... --replicas N [--current-replicas M]`, as kubectl scale: a merge patch
 * of `spec.replicas` on the scale subresource (any kind that has one: Deployments, ReplicaSets,
 * custom kinds); with `--current-replicas`, a read of the Scale and a compare-and-swap write.
 */
import type { Command } from 'commander';
import { isConflict } from '../../api/errors';
import { addConnectionFlags, ConnectionOptions } from '../../client';
import { withSession } from '../connect';
import { CommandError, ExitCode } from '../exit';
import { kindQualifier } from '../output/objects';
import { parseTargets } from '../resolve';

interface ScaleFlags extends ConnectionOptions {
  replicas: string;
  currentReplicas?: string;
}

function count(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CommandError(`${flag} wants a whole number of at least 0, not "${text}"`, ExitCode.badInput);
  return n;
}

export function registerScale(program: Command): void {
  const command = program
    .command('scale')
    .description('set the replicas of Deployments, ReplicaSets or any kind with a scale subresource')
    .argument('<target...>', 'KIND/NAME..., or KIND NAME...')
    .requiredOption('--replicas <n>', 'the number of replicas wanted')
    .option('--current-replicas <n>', 'only scale if the object has this many replicas now');
  addConnectionFlags(command);
  command.action(async (target: string[], flags: ScaleFlags) => {
    const replicas = count(flags.replicas, '--replicas')!;
    const current = count(flags.currentReplicas, '--current-replicas');
    await withSession(flags, async (session) => {
      const targets = parseTargets(target, await session.types());
      for (const { type, names } of targets) {
        if (!type.subresources.includes('scale')) throw new CommandError(`${type.plural} cannot be scaled: the server gives them no scale subresource`, ExitCode.badInput);
        if (names.length === 0) throw new CommandError(`name the ${type.plural} to scale`, ExitCode.badInput);
        const resource = session.client.resource(type, session.namespace);
        for (const name of names) {
          if (current === undefined) {
            await resource.patch(name, 'merge', { spec: { replicas } }, { subresource: 'scale' });
          } else {
            const scale = await resource.getScale(name);
            const now = scale.spec?.replicas ?? 0;
            if (now !== current) throw new CommandError(`Expected replicas to be ${current}, was ${now}`);
            try {
              await resource.updateScale(name, { ...scale, spec: { ...scale.spec, replicas } });
            } catch (e) {
              if (isConflict(e)) throw new CommandError(`${kindQualifier(type.group, type.kind)}/${name} changed while it was being scaled; run the command again`);
              throw e;
            }
          }
          process.stdout.write(`${kindQualifier(type.group, type.kind)}/${name} scaled\n`);
        }
      }
    });
  });
}
