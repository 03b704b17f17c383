// Route table matching: ordered routes, `{name}` matches one path segment, `{name*}` one or more.
import type { Method, Route } from './types.js';

export interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const escaped = route.path
    .split(/(\{[a-zA-Z]+\*?\})/)
    .map((part) => {
      const param = /^\{([a-zA-Z]+)(\*?)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${escaped}$`), names };
}

export interface Router {
  /** Finds the first route for method and path (version prefix already removed); params are percent-decoded. */
  match(method: string, path: string): RouteMatch | undefined;
}

export function createRouter(routes: Route[]): Router {
  const compiled = routes.map(compileRoute);
  return {
    match(method, path) {
      for (const c of compiled) {
        if (c.route.method !== (method as Method)) continue;
        const m = c.pattern.exec(path);
        if (!m) continue;
        const params: Record<string, string> = {};
        try {
          c.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
        } catch {
          continue; // malformed percent-encoding: not this route
        }
        return { route: c.route, params };
      }
      return undefined;
    },
  };
}
