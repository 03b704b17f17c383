// Connecting stream stages into one Readable without awaiting them (the consumer drives it).
import { PassThrough, pipeline, type Readable } from 'node:stream';

type Stage = NodeJS.ReadWriteStream | ((source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>);

/** The output of source piped through stages; an error anywhere destroys the output with that error. */
export function chain(source: Readable, ...stages: Stage[]): Readable {
  const out = new PassThrough();
  (pipeline as (...args: unknown[]) => void)(source, ...stages, out, (err: Error | null) => {
    if (err) out.destroy(err);
  });
  return out;
}
