/**
 * The `berth` command. Each subcommand lives in its own file under `commands/` and registers
 * itself on the program; the ones not built yet are listed as such so `--help` shows the whole plan.
 */
import { Command } from 'commander';
import { setLogLevel } from '../log';
import { planned } from './planned';
import { ExitCode, fail } from './exit';
import { registerServer } from './commands/server';
import { registerControllers } from './commands/controllers';
import { registerApply } from './commands/apply';
import { registerDiff } from './commands/diff';
import { registerDelete } from './commands/delete';
import { registerAgent } from './commands/agent';
import { registerGet } from './commands/get';
import { registerEvents } from './commands/events';
import { registerDescribe } from './commands/describe';
import { registerExplain } from './commands/explain';
import { registerLogs } from './commands/logs';
import { registerScale } from './commands/scale';
import { registerRollout } from './commands/rollout';
import { registerNodeCommands } from './commands/nodes';
import { registerUp } from './commands/up';

const program = new Command('berth')
  .description('A declarative container orchestrator: Kubernetes manifests, an etcd or embedded store, Docker hosts.')
  .option('--log-level <level>', 'error, warn, info or debug (also BERTH_LOG_LEVEL)')
  .showHelpAfterError()
  // Usage errors (unknown option, missing argument) exit 4 like other bad input; help exits 0.
  // Set before the subcommands are added so they inherit it.
  .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : ExitCode.badInput))
  .hook('preAction', (cmd) => {
    const level = cmd.opts().logLevel as string | undefined;
    if (level) setLogLevel(level);
  });

// Commands built so far register themselves here; `planned` lists the rest.
const built: Array<(program: Command) => void> = [
  registerUp,
  registerServer,
  registerControllers,
  registerApply,
  registerDiff,
  registerDelete,
  registerAgent,
  registerGet,
  registerEvents,
  registerDescribe,
  registerExplain,
  registerLogs,
  registerScale,
  registerRollout,
  registerNodeCommands,
];
for (const register of built) register(program);
planned(program);

program.parseAsync(process.argv).catch(fail);
