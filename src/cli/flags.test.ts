import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bool, flagUsages, int, list, parseFlags, str } from './flags.js';
import { UsageError } from './errors.js';

const defs = {
  all: bool('all', 'Show all', { short: 'a' }),
  interactive: bool('interactive', 'Keep STDIN open', { short: 'i' }),
  tty: bool('tty', 'TTY', { short: 't' }),
  env: list('env', 'Env', { short: 'e' }),
  name: str('name', 'Name'),
  last: int('last', 'Last', { short: 'n', default: -1 }),
  sigProxy: bool('sig-proxy', 'Proxy', { default: true }),
};

test('short, combined, attached and separate values, like pflag', () => {
  const p = parseFlags(defs, ['-it', '-e', 'A=1', '-eB=2', '-e=C=3', '--env', 'D=4', '--env=E=5', '--name', 'x', '-n', '-1', 'arg']);
  assert.equal(p.flags.interactive, true);
  assert.equal(p.flags.tty, true);
  assert.equal(p.flags.all, false);
  assert.deepEqual(p.flags.env, ['A=1', 'B=2', 'C=3', 'D=4', 'E=5']);
  assert.equal(p.flags.name, 'x');
  assert.equal(p.flags.last, -1);
  assert.deepEqual(p.args, ['arg']);
  assert.deepEqual([...p.changed].sort(), ['env', 'interactive', 'last', 'name', 'tty']);
});

test('booleans take =false; defaults apply when absent', () => {
  const p = parseFlags(defs, ['--sig-proxy=false', '-a=false']);
  assert.equal(p.flags.sigProxy, false);
  assert.equal(p.flags.all, false);
  assert.equal(parseFlags(defs, []).flags.sigProxy, true);
  assert.throws(() => parseFlags(defs, ['--all=maybe']), /invalid argument "maybe" for "-a, --all" flag: strconv.ParseBool/);
});

test('interspersed flags by default; not after the first argument when disabled (run IMAGE CMD -flags)', () => {
  assert.deepEqual(parseFlags(defs, ['c1', '-a', 'c2']).args, ['c1', 'c2']);
  const p = parseFlags(defs, ['-i', 'busybox', 'ls', '-a', '--name', 'x'], { interspersed: false });
  assert.deepEqual(p.args, ['busybox', 'ls', '-a', '--name', 'x']);
  assert.equal(p.flags.all, false);
  assert.deepEqual(parseFlags(defs, ['--', '-a']).args, ['-a']);
});

test('help, unknown flags and missing values', () => {
  assert.equal(parseFlags(defs, ['--help']).help, true);
  assert.equal(parseFlags(defs, ['-h']).help, true);
  // When -h is a flag of the command (run's --hostname), it is that flag.
  assert.equal(parseFlags({ hostname: str('hostname', 'Host', { short: 'h' }) }, ['-h', 'box']).flags.hostname, 'box');
  assert.throws(() => parseFlags(defs, ['--bogus']), (e) => e instanceof UsageError && e.status === 125 && e.message === 'unknown flag: --bogus');
  assert.throws(() => parseFlags(defs, ['-az']), { message: "unknown shorthand flag: 'z' in -az" });
  assert.throws(() => parseFlags(defs, ['--name']), { message: 'flag needs an argument: --name' });
  assert.throws(() => parseFlags(defs, ['-n', 'x']), /invalid argument "x" for "-n, --last" flag: strconv.ParseInt/);
});

test('flagUsages aligns descriptions and shows defaults', () => {
  assert.deepEqual(flagUsages({ all: defs.all, last: defs.last, name: defs.name, sigProxy: defs.sigProxy }), [
    '  -a, --all           Show all',
    '  -n, --last int      Last (default -1)',
    '      --name string   Name',
    '      --sig-proxy     Proxy (default true)',
  ]);
});
