/**
 * The `berth` command. Each subcommand lives in its own file under `commands/` and registers
 * itself on the program; the ones not built yet are listed as such so `--help` shows the whole plan.
 *
 * Only the module of the command being run is loaded: the API server's store clients (etcd's gRPC
 * stack, SQLite), the certificate code and the controllers cost an agent or a client command some
 * 20 MB of memory and a share of its start-up for code it never runs. `berth --help` loads them all.
 */
import v8 from 'node:v8';
import { Command } from 'commander';
import { setLogLevel } from '../log';
import { planned } from './planned';
import { ExitCode, fail } from './exit';
import { invokedCommand } from './invoked-command';

/**
 * V8 lets the old generation grow to as much as four times what survived the last full collection
 * before collecting again. The heap of a berth daemon is mostly caches of long-lived objects (the
 * watch cache, informers), so most of that headroom is pages that stay empty: at 1,000 nodes and
 * 10,000 pods the API server and the placement controller held 544 MB between them, and about
 * 410 MB with growth held to a half, for about the same CPU per bind (bench/placement). Held to a
 * quarter saved 15 MB more but cost the watch fan-out some 20% more CPU per event in collections.
 * Go's default (GOGC=100) lets a heap double. V8 reads this setting whenever it sizes the heap, so
 * it holds when set here; the young generation's size (--max-semi-space-size) is fixed at
 * start-up, and a smaller one cost some 20% more CPU per bind.
 */
v8.setFlagsFromString('--heap-growing-percent=50');

type Register = (program: Command) => void;

/** Each command module: the names it registers and how to load its register function. */
const commands: Array<[names: string[], load: () => Promise<Register>]> = [
  [['up'], async () => (await import('./commands/up')).registerUp],
  [['server'], async () => (await import('./commands/server')).registerServer],
  [['controllers'], async () => (await import('./commands/controllers')).registerControllers],
  [['apply'], async () => (await import('./commands/apply')).registerApply],
  [['diff'], async () => (await import('./commands/diff')).registerDiff],
  [['delete'], async () => (await import('./commands/delete')).registerDelete],
  [['agent'], async () => (await import('./commands/agent')).registerAgent],
  [['get'], async () => (await import('./commands/get')).registerGet],
  [['events'], async () => (await import('./commands/events')).registerEvents],
  [['describe'], async () => (await import('./commands/describe')).registerDescribe],
  [['explain'], async () => (await import('./commands/explain')).registerExplain],
  [['logs'], async () => (await import('./commands/logs')).registerLogs],
  [['scale'], async () => (await import('./commands/scale')).registerScale],
  [['rollout'], async () => (await import('./commands/rollout')).registerRollout],
  [['cordon', 'uncordon', 'drain'], async () => (await import('./commands/nodes')).registerNodeCommands],
];

async function main(): Promise<void> {
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

  const name = invokedCommand(process.argv.slice(2));
  const invoked = commands.find(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of invoked ? [invoked] : commands) (await load())(program);
  // Without a known command, `planned` lists the rest so --help shows the whole plan.
  if (!invoked) planned(program);
  await program.parseAsync(process.argv);
}

main().catch(fail);
