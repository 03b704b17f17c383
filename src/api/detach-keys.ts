// Detach keys (default ctrl-p,ctrl-q): scanning a TTY client's input for the sequence, like Docker's EscapeProxy.
import { Transform, type TransformCallback } from 'node:stream';
import { invalidArgument } from '../errors.js';

export const defaultDetachKeys = [16, 17];

/** "ctrl-p,ctrl-q" → [16, 17]; single characters stand for themselves ("a,ctrl-@"). */
export function parseDetachKeys(spec: string): number[] {
  const bad = () => invalidArgument(`Invalid detach keys (${spec}) provided`);
  return spec.split(',').map((key) => {
    if (key.length === 1) return key.charCodeAt(0);
    const m = /^ctrl-(.)$/i.exec(key);
    if (!m) throw bad();
    const c = m[1].toLowerCase();
    if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 'a'.charCodeAt(0) + 1;
    const specials: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
    if (c in specials) return specials[c];
    throw bad();
  });
}

/**
 * Passes bytes through until the key sequence appears; the sequence itself is withheld (bytes of a partial
 * match are released once the match breaks). onDetach is called once; later input is dropped.
 */
export function createDetachScanner(keys: number[], onDetach: () => void): Transform {
  let matched = 0;
  let detached = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (detached) return done();
      const out: number[] = [];
      for (const byte of chunk) {
        if (byte === keys[matched]) {
          matched++;
          if (matched === keys.length) {
            detached = true;
            if (out.length) this.push(Buffer.from(out));
            onDetach();
            return done();
          }
          continue;
        }
        out.push(...keys.slice(0, matched));
        matched = 0;
        if (byte === keys[0]) matched = 1;
        else out.push(byte);
      }
      if (out.length) this.push(Buffer.from(out));
      done();
    },
  });
}
