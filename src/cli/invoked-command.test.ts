import { invokedCommand } from './invoked-command';

describe('invokedCommand', () => {
  it.each([
    [['agent', '--node', 'a'], 'agent'],
    [['--log-level', 'debug', 'get', 'pods'], 'get'],
    [['--log-level=debug', 'up'], 'up'],
    [['--help'], undefined],
    [[], undefined],
    [['help', 'get'], 'help'],
  ])('finds the command in %j', (args, expected) => {
    expect(invokedCommand(args)).toBe(expected);
  });
});
