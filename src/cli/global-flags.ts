// Flags before the command name: berth -H unix:///run/berth/berth.sock ps.
import { bool, str } from './flags.js';

export const globalFlags = {
  host: str('host', 'Daemon socket to connect to', { short: 'H' }),
  version: bool('version', 'Print version information and quit', { short: 'v' }),
};
