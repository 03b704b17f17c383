// Resolves a container's "user[:group]" against the container's own /etc/passwd and /etc/group
// (read inside the root), with runc/libcontainer's rules: names or numeric ids, numeric ids need no entry.
import { readFile } from 'node:fs/promises';
import { invalidArgument, isErrno } from '../errors.js';
import { resolveInRoot } from './resolve-in-root.js';
import type { ContainerUser } from './types.js';

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const MAX_ID = 2 ** 31 - 1;

async function readTable(root: string, file: string): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(await resolveInRoot(root, file), 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') || isErrno(err, 'EISDIR')) return [];
    throw err;
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

const parseId = (s: string): number | undefined => (/^\d+$/.test(s) && Number(s) <= MAX_ID ? Number(s) : undefined);

async function readPasswd(root: string): Promise<PasswdEntry[]> {
  return (await readTable(root, '/etc/passwd'))
    .filter((f) => f.length >= 4 && parseId(f[2]) !== undefined && parseId(f[3]) !== undefined)
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] || '/' }));
}

async function readGroups(root: string): Promise<GroupEntry[]> {
  return (await readTable(root, '/etc/group'))
    .filter((f) => f.length >= 3 && parseId(f[2]) !== undefined)
    .map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

/** uid, primary gid, supplementary gids and home of `spec` ("", "name", "1000", "name:group", "1000:1000"). */
export async function lookupUser(root: string, spec: string | undefined): Promise<ContainerUser> {
  const [given, groupPart] = splitSpec(spec ?? '');
  const userPart = given === '' ? '0' : given; // runc looks up uid 0 when no user is given
  const user: ContainerUser = { uid: 0, gid: 0, additionalGids: [], home: '/' };
  const userId = parseId(userPart);
  const entry = (await readPasswd(root)).find((p) => p.name === userPart || (userId !== undefined && p.uid === userId));
  if (entry) {
    Object.assign(user, { uid: entry.uid, gid: entry.gid, home: entry.home });
  } else if (userId !== undefined) {
    user.uid = userId;
  } else {
    throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);
  }

  const groups = await readGroups(root);
  if (groupPart !== undefined) {
    const groupId = parseId(groupPart);
    const group = groups.find((g) => g.name === groupPart || (groupId !== undefined && g.gid === groupId));
    if (group) user.gid = group.gid;
    else if (groupId !== undefined) user.gid = groupId;
    else throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
  } else if (entry) {
    user.additionalGids = groups.filter((g) => g.members.includes(entry.name) && g.gid !== user.gid).map((g) => g.gid);
  }
  return user;
}

function splitSpec(spec: string): [string, string | undefined] {
  const i = spec.indexOf(':');
  return i === -1 ? [spec, undefined] : [spec.slice(0, i), spec.slice(i + 1)];
}
