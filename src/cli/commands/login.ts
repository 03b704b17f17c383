// berth login and berth logout: credentials checked by the daemon with the registry, kept by the CLI (see
// credentials.ts) for later pulls and pushes.
import { defineCommand } from '../command.js';
import { cliCredentials, dockerHubServer } from '../credentials.js';
import { StatusError, UsageError } from '../errors.js';
import { bool, str } from '../flags.js';
import { ask, readStdin } from '../prompt.js';

export const loginCommand = defineCommand({
  names: [['login']],
  usage: '[OPTIONS] [SERVER]',
  description: 'Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.',
  flags: {
    username: str('username', 'Username', { short: 'u' }),
    password: str('password', 'Password or Personal Access Token (PAT)', { short: 'p' }),
    passwordStdin: bool('password-stdin', 'Take the Password or Personal Access Token (PAT) from stdin'),
  },
  maxArgs: 1,
  async run(ctx, { flags: f, args: [server = dockerHubServer] }) {
    if (f.password !== undefined && f.passwordStdin) throw new UsageError('--password and --password-stdin are mutually exclusive', 1);
    if (f.passwordStdin && !f.username) throw new UsageError('Must provide --username with --password-stdin', 1);
    let password = f.password;
    if (password !== undefined) ctx.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    if (f.passwordStdin) password = await readStdin(ctx);
    const store = cliCredentials(ctx.env);
    const stored = f.username || password !== undefined ? undefined : await store.get(server);
    const username = f.username ?? stored?.username ?? (await ask(ctx, 'Username: ')).trim();
    if (!username) throw new StatusError(1, 'Error: Non-null Username Required');
    password ??= stored?.password ?? (await ask(ctx, 'Password: ', true));
    if (!password) throw new StatusError(1, 'Error: Password Required');
    const result = await ctx.client.registry.login({ username, password, serveraddress: server });
    await store.set(server, { username, password, ...(result.IdentityToken ? { identityToken: result.IdentityToken } : {}) });
    ctx.stdout.write(`${result.Status}\n`);
  },
});

export const logoutCommand = defineCommand({
  names: [['logout']],
  usage: '[SERVER]',
  description: 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.',
  flags: {},
  maxArgs: 1,
  async run(ctx, { args: [server = dockerHubServer] }) {
    const removed = await cliCredentials(ctx.env).remove(server);
    ctx.stdout.write(removed ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
  },
});
