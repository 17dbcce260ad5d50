/** The subcommand named on a command line (arguments after `berth`): the first that is not a global option or its value. */
export function invokedCommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--log-level') i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}
