// The OCI process user of a container's "user[:group]": looked up in the root filesystem's own /etc/passwd and
// /etc/group (resolved inside the root, never through a symlink out of it), with Docker's group list.
import { lookupUser } from '../fs/container-user.js';
import type { OciUser } from './types.js';

/**
 * "" (root), "uid", "uid:gid", "name", "name:group". Unknown names throw invalid_argument
 * ("unable to find user X: no matching entries in passwd file"). additionalGids starts with the primary
 * group (as Docker since CVE-2022-36109), then the groups listing the user as a member.
 */
export async function resolveUser(rootfs: string, userSpec: string | undefined): Promise<OciUser> {
  const user = await lookupUser(rootfs, userSpec);
  return { uid: user.uid, gid: user.gid, additionalGids: [...new Set([user.gid, ...user.additionalGids])] };
}
