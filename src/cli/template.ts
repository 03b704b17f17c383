// A subset of Go's text/template for --format: {{.A.B}}, {{.Method "arg"}}, pipelines, functions (json, join,
// index, upper, lower, ...), {{if}}/{{else}}/{{end}}, {{range}}, {{with}}, {{- trim -}}; printed like Go's %v.

type Operand =
  | { t: 'field'; fromRoot: boolean; path: string[] }
  | { t: 'lit'; value: unknown }
  | { t: 'ident'; name: string }
  | { t: 'sub'; pipe: Pipeline };
type Pipeline = Operand[][];
type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipeline }
  | { t: 'if' | 'with' | 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

export type Template = (data: unknown) => string;

const fail = (msg: string): never => {
  throw new Error(`template: ${msg}`);
};

/** Go's %v: <no value> for missing, <nil> for null, [a b] for lists, map[k:v] for objects. */
export function printValue(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => typeof (v as Record<string, unknown>)[k] !== 'function').sort();
    return `map[${keys.map((k) => `${k}:${printValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

const toList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

function sprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([%sdvq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    return verb === 'q' ? JSON.stringify(String(a)) : verb === 'd' ? String(Math.trunc(Number(a))) : printValue(a);
  });
}

const functions: Record<string, (...args: unknown[]) => unknown> = {
  json: (v) => JSON.stringify(v === undefined ? null : v),
  join: (l, sep) => toList(l).map(printValue).join(String(sep)),
  split: (s, sep) => String(s).split(String(sep)),
  upper: (s) => String(s).toUpperCase(),
  lower: (s) => String(s).toLowerCase(),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  truncate: (s, n) => String(s).slice(0, Number(n)),
  pad: (s, l, r) => ' '.repeat(Number(l)) + String(s) + ' '.repeat(Number(r)),
  len: (v) => (typeof v === 'string' ? v.length : toList(v).length),
  index: (v, ...keys) => keys.reduce((o: unknown, k) => (o == null ? undefined : (o as Record<string, unknown>)[String(k)]), v),
  print: (...a) => a.map(printValue).join(''),
  println: (...a) => `${a.map(printValue).join(' ')}\n`,
  printf: (f, ...a) => sprintf(String(f), a),
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  not: (a) => !truthy(a),
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
};

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||[^\s()|]+)/gy;
  let end = 0;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    tokens.push(m[1]);
    end = re.lastIndex;
  }
  if (src.slice(end).trim()) fail(`unexpected ${JSON.stringify(src.slice(end).trim())}`);
  return tokens;
}

function parsePipeline(tokens: string[], pos = { i: 0 }, closing?: string): Pipeline {
  const pipe: Pipeline = [[]];
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i++];
    if (tok === closing) return pipe;
    if (tok === '|') pipe.push([]);
    else if (tok === '(') pipe[pipe.length - 1].push({ t: 'sub', pipe: parsePipeline(tokens, pos, ')') });
    else pipe[pipe.length - 1].push(parseOperand(tok));
  }
  if (closing) fail(`unclosed left paren`);
  if (pipe.some((cmd) => cmd.length === 0)) fail('missing value for command');
  return pipe;
}

function parseOperand(tok: string): Operand {
  if (tok.startsWith('"')) return { t: 'lit', value: JSON.parse(tok) };
  if (tok.startsWith('`')) return { t: 'lit', value: tok.slice(1, -1) };
  if (/^-?\d+(\.\d+)?$/.test(tok)) return { t: 'lit', value: Number(tok) };
  if (tok === 'true' || tok === 'false') return { t: 'lit', value: tok === 'true' };
  if (tok === 'nil') return { t: 'lit', value: null };
  if (tok === '.') return { t: 'field', fromRoot: false, path: [] };
  if (tok === '$' || tok.startsWith('$.')) return { t: 'field', fromRoot: true, path: tok.split('.').slice(1) };
  if (tok.startsWith('.')) return { t: 'field', fromRoot: false, path: tok.slice(1).split('.') };
  if (/^[A-Za-z_]\w*$/.test(tok)) {
    if (!(tok in functions)) fail(`function ${JSON.stringify(tok)} not defined`);
    return { t: 'ident', name: tok };
  }
  return fail(`unexpected ${JSON.stringify(tok)}`);
}

/** Parses a template; throws "template: ..." errors for bad syntax. */
export function parseTemplate(src: string): Template {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { body: Node[] }>; inElse: boolean }[] = [];
  const current = () => (stack.length ? (stack[stack.length - 1].inElse ? stack[stack.length - 1].node.otherwise : stack[stack.length - 1].node.body) : root);
  const re = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let last = 0;
  let trimNext = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    let text = src.slice(last, m.index);
    if (trimNext) text = text.trimStart();
    if (m[1]) text = text.trimEnd();
    if (text) current().push({ t: 'text', text });
    trimNext = Boolean(m[3]);
    last = re.lastIndex;
    const body = m[2].trim();
    if (body.startsWith('/*')) continue;
    const [word] = body.split(/\s+/, 1);
    if (word === 'if' || word === 'with' || word === 'range') {
      const node = { t: word, pipe: parsePipeline(tokenize(body.slice(word.length))), body: [], otherwise: [] } as Extract<Node, { body: Node[] }>;
      current().push(node);
      stack.push({ node, inElse: false });
    } else if (word === 'else') {
      if (!stack.length || stack[stack.length - 1].inElse) fail('unexpected {{else}}');
      stack[stack.length - 1].inElse = true;
    } else if (word === 'end') {
      if (!stack.pop()) fail('unexpected {{end}}');
    } else current().push({ t: 'action', pipe: parsePipeline(tokenize(body)) });
  }
  if (stack.length) fail(`unexpected EOF: missing {{end}}`);
  const tail = trimNext ? src.slice(last).trimStart() : src.slice(last);
  if (tail.includes('{{')) fail('unclosed action');
  if (tail) root.push({ t: 'text', text: tail });
  return (data) => render(root, data, data);
}

function resolveField(value: unknown, path: string[], args: unknown[]): unknown {
  let v = value;
  path.forEach((name, i) => {
    if (v === null || v === undefined) return (v = undefined);
    const next = (v as Record<string, unknown>)[name];
    v = typeof next === 'function' ? (next as (...a: unknown[]) => unknown).apply(v, i === path.length - 1 ? args : []) : next;
  });
  return v;
}

function evalCommand(cmd: Operand[], dot: unknown, root: unknown, piped: unknown[]): unknown {
  const [head, ...rest] = cmd;
  const args = () => [...rest.map((o) => evalOperand(o, dot, root, [])), ...piped];
  if (head.t === 'ident') return functions[head.name](...args());
  if (head.t === 'field') return resolveField(head.fromRoot ? root : dot, head.path, args());
  if (rest.length || piped.length) fail('can\'t give argument to non-function');
  return evalOperand(head, dot, root, []);
}

function evalOperand(o: Operand, dot: unknown, root: unknown, piped: unknown[]): unknown {
  if (o.t === 'lit') return o.value;
  if (o.t === 'sub') return evalPipeline(o.pipe, dot, root);
  return evalCommand([o], dot, root, piped);
}

function evalPipeline(pipe: Pipeline, dot: unknown, root: unknown): unknown {
  return pipe.reduce<unknown[]>((piped, cmd) => [evalCommand(cmd, dot, root, piped)], [])[0];
}

function render(nodes: Node[], dot: unknown, root: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text') out += n.text;
    else if (n.t === 'action') out += printValue(evalPipeline(n.pipe, dot, root));
    else {
      const v = evalPipeline(n.pipe, dot, root);
      if (n.t === 'range') {
        const items = toList(v);
        out += items.length ? items.map((item) => render(n.body, item, root)).join('') : render(n.otherwise, dot, root);
      } else if (truthy(v)) out += render(n.body, n.t === 'with' ? v : dot, root);
      else out += render(n.otherwise, dot, root);
    }
  }
  return out;
}
