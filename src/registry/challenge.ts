// WWW-Authenticate parsing (RFC 7235): `Bearer realm="https://auth.example/token",service="reg",scope="..."`.
export interface Challenge {
  /** Lower case: "basic", "bearer". */
  scheme: string;
  /** Parameter names in lower case. */
  params: Record<string, string>;
}

const tokenChars = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** All challenges of one or more WWW-Authenticate header values; malformed parts are skipped. */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++;
  };
  const token = () => {
    const start = i;
    while (i < header.length && tokenChars.test(header[i])) i++;
    return header.slice(start, i);
  };
  // Unquoted values are tokens by the RFC, but servers send URLs unquoted too: read up to a comma or space.
  const bare = () => {
    const start = i;
    while (i < header.length && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
    return header.slice(start, i);
  };
  const quoted = () => {
    let s = '';
    for (i++; i < header.length && header[i] !== '"'; i++) s += header[i] === '\\' ? header[++i] ?? '' : header[i];
    i++;
    return s;
  };
  let current: Challenge | undefined;
  while (i < header.length) {
    skipSpace();
    const start = i;
    const name = token();
    if (!name) {
      i++;
      continue;
    }
    let j = i;
    while (header[j] === ' ') j++;
    if (header[j] === '=' && current) {
      i = j + 1;
      while (header[i] === ' ') i++;
      current.params[name.toLowerCase()] = header[i] === '"' ? quoted() : bare();
    } else if (i > start) {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;
}
