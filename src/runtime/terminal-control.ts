// Terminal resize through conmon's control fifo (<bundle>/ctl), as podman's AttachResize: "1 <height> <width>\n".
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { conflict, invalidArgument, isErrno } from '../errors.js';

const WIN_RESIZE_EVENT = 1;

export async function resizeTerminal(bundle: string, height: number, width: number, what: string): Promise<void> {
  if (![height, width].every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)) {
    throw invalidArgument(`invalid terminal size ${height}x${width}`);
  }
  let fh;
  try {
    // Non-blocking: with conmon gone there is no reader and open fails (ENXIO) instead of hanging.
    fh = await open(path.join(bundle, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (isErrno(err, 'ENXIO') || isErrno(err, 'ENOENT')) throw conflict(`${what} is not running`);
    throw err;
  }
  try {
    await fh.write(`${WIN_RESIZE_EVENT} ${height} ${width}\n`);
  } finally {
    await fh.close();
  }
}
