// Asking the user on the terminal (berth login): a line, or a secret typed without echo.
import { createInterface } from 'node:readline';
import type { Io } from './command.js';
import { StatusError } from './errors.js';

/** One line typed on the terminal after question; secret: not echoed. */
export async function ask(io: Io, question: string, secret = false): Promise<string> {
  if (!io.stdin.isTTY) throw new StatusError(1, 'Error: Cannot perform an interactive login from a non TTY device');
  io.stdout.write(question);
  if (!secret) {
    const rl = createInterface({ input: io.stdin, terminal: false });
    try {
      return await new Promise<string>((resolve) => rl.once('line', resolve));
    } finally {
      rl.close();
    }
  }
  io.stdin.setRawMode(true);
  io.stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            io.stdin.off('data', onData);
            return resolve(typed);
          }
          if (ch === '\x03') {
            io.stdin.off('data', onData);
            return reject(new StatusError(130));
          }
          typed = ch === '\x7f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
        }
      };
      io.stdin.on('data', onData);
    });
  } finally {
    io.stdin.setRawMode(false);
    io.stdin.pause();
    io.stdout.write('\n');
  }
}

/** Everything on stdin, without the line end a `echo pass |` adds. */
export async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
