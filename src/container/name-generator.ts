// Docker-style random names ("eager_turing") for containers created without --name.
import { randomInt } from 'node:crypto';

const adjectives = [
  'admiring', 'agitated', 'amazing', 'blissful', 'bold', 'brave', 'clever', 'cool', 'dazzling', 'eager', 'ecstatic',
  'elegant', 'epic', 'festive', 'focused', 'friendly', 'gallant', 'gifted', 'happy', 'hopeful', 'jolly', 'keen',
  'kind', 'laughing', 'lucid', 'magical', 'modest', 'nifty', 'nostalgic', 'optimistic', 'peaceful', 'quirky',
  'relaxed', 'serene', 'sharp', 'stoic', 'tender', 'trusting', 'upbeat', 'vibrant', 'wizardly', 'zealous',
];
const surnames = [
  'albattani', 'babbage', 'bohr', 'curie', 'darwin', 'dijkstra', 'einstein', 'euclid', 'feynman', 'franklin',
  'galileo', 'germain', 'goldberg', 'hopper', 'hypatia', 'johnson', 'kepler', 'knuth', 'lamarr', 'lovelace',
  'mccarthy', 'meitner', 'newton', 'noether', 'pasteur', 'perlman', 'ritchie', 'shannon', 'tesla', 'thompson',
  'torvalds', 'turing', 'wozniak', 'yalow',
];

/** A free name: taken() says which are in use. Falls back to a numbered suffix like Docker. */
export function generateName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${adjectives[randomInt(adjectives.length)]}_${surnames[randomInt(surnames.length)]}`;
    const name = attempt < 10 ? base : `${base}${randomInt(10)}`;
    if (!taken(name)) return name;
  }
}
