// The iptables rules of bridge networks, set up once per network (as Docker does) so that attaching a container
// changes no rule at all: BERTH-ISOLATION-1/2 drop traffic between different bridges (published ports excepted),
// BERTH-FORWARD accepts what a bridge may forward (inside the bridge, replies, published ports, and outgoing
// traffic unless the network is internal), BERTH-POSTROUTING masquerades what leaves a subnet for elsewhere.
// Each change is one iptables-restore --noflush per table, after one iptables-save to see what is there.
import { BerthError } from '../errors.js';
import { run, runChecked } from '../util/run.js';
import { splitRule } from './iptables-rule.js';

export interface BridgeFirewall {
  bridge: string;
  subnet: string;
  internal: boolean;
  ipMasq: boolean;
}

type Table = 'filter' | 'nat';

const ISOLATION_1 = 'BERTH-ISOLATION-1';
const ISOLATION_2 = 'BERTH-ISOLATION-2';
const FORWARD = 'BERTH-FORWARD';
const POSTROUTING = 'BERTH-POSTROUTING';

/** Our chains, and the built-in chain each is jumped to from, in the order the jumps must come. */
const chains: Record<Table, { chain: string; from?: string }[]> = {
  filter: [{ chain: ISOLATION_1, from: 'FORWARD' }, { chain: FORWARD, from: 'FORWARD' }, { chain: ISOLATION_2 }],
  nat: [{ chain: POSTROUTING, from: 'POSTROUTING' }],
};

function wantedRules(fw: BridgeFirewall): Record<Table, string[][]> {
  const b = fw.bridge;
  const filter = [
    [ISOLATION_1, '-i', b, '!', '-o', b, '-m', 'conntrack', '!', '--ctstate', 'DNAT', '-j', ISOLATION_2],
    [ISOLATION_2, '-o', b, '-j', 'DROP'],
    [FORWARD, '-i', b, '-o', b, '-j', 'ACCEPT'],
  ];
  if (fw.internal) {
    filter.push([FORWARD, '-i', b, '-j', 'DROP'], [FORWARD, '-o', b, '-j', 'DROP']);
  } else {
    filter.push(
      [FORWARD, '-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'ACCEPT'],
      [FORWARD, '-i', b, '-j', 'ACCEPT'],
    );
  }
  const nat = fw.ipMasq && !fw.internal ? [[POSTROUTING, '-s', fw.subnet, '!', '-o', b, '-j', 'MASQUERADE']] : [];
  return { filter, nat };
}

interface Saved {
  chains: Set<string>;
  rules: string[][];
}

async function save(table: Table): Promise<Saved> {
  const out = await runChecked('iptables-save', ['-t', table]);
  const saved: Saved = { chains: new Set(), rules: [] };
  for (const line of out.split('\n')) {
    if (line.startsWith(':')) saved.chains.add(line.slice(1).split(' ')[0]);
    else if (line.startsWith('-A ')) saved.rules.push(splitRule(line).slice(1));
  }
  return saved;
}

const names = (rule: string[], bridge: string) => rule.some((a, i) => (a === '-i' || a === '-o') && rule[i + 1] === bridge);
const quote = (rule: string[]) => rule.map((a) => (/^[\w.,:/!+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');

/** The restore script that takes a table from what is saved to its rules for bridge (none when removing). */
function script(table: Table, saved: Saved, bridge: string, wanted: string[][] | undefined): string {
  const lines: string[] = [];
  const ours = chains[table];
  for (const c of ours) if (wanted && !saved.chains.has(c.chain)) lines.push(`:${c.chain} - [0:0]`);
  for (const rule of saved.rules) {
    if (ours.some((c) => c.chain === rule[0]) && names(rule, bridge)) lines.push(`-D ${quote(rule)}`);
  }
  if (wanted) {
    // The jumps come first in their built-in chains, in order; put back together if any is missing.
    const jumps = ours.filter((c) => c.from);
    const present = (c: { chain: string; from?: string }) => saved.rules.some((r) => r[0] === c.from && r.length === 3 && r[1] === '-j' && r[2] === c.chain);
    if (!jumps.every(present)) {
      for (const c of jumps.filter(present)) lines.push(`-D ${c.from} -j ${c.chain}`);
      for (const c of [...jumps].reverse()) lines.push(`-I ${c.from} 1 -j ${c.chain}`);
    }
    for (const rule of wanted) lines.push(`-A ${quote(rule)}`);
  }
  return lines.length === 0 ? '' : `*${table}\n${lines.join('\n')}\nCOMMIT\n`;
}

async function apply(bridge: string, wanted: Record<Table, string[][]> | undefined): Promise<void> {
  for (const table of ['filter', 'nat'] as const) {
    const input = script(table, await save(table), bridge, wanted?.[table]);
    if (!input) continue;
    const r = await run('iptables-restore', ['-w', '--noflush'], { input });
    if (r.code !== 0) throw new BerthError('internal', `cannot update the ${table} rules of bridge ${bridge}: ${r.stderr.trim()}`);
  }
}

/** Replaces whatever rules name the bridge with the ones its network wants. */
export const ensureBridgeFirewall = (fw: BridgeFirewall): Promise<void> => apply(fw.bridge, wantedRules(fw));

/** Removes every rule naming the bridge; the chains and jumps stay for the other networks. */
export const removeBridgeFirewall = (bridge: string): Promise<void> => apply(bridge, undefined);
