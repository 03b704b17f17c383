// Typed reads from a decoded Docker JSON body, with Docker's null and string-or-array conventions.
import { invalidArgument } from '../errors.js';

export interface Fields {
  str(key: string): string | undefined;
  /** false when absent or null. */
  bool(key: string): boolean;
  int(key: string): number | undefined;
  /** Docker's StrSlice: null or absent → undefined, "a b" → ["a b"], ["a", "b"] as is. */
  strSlice(key: string): string[] | undefined;
  /** An array of strings; null or absent → undefined. */
  strList(key: string): string[] | undefined;
  /** An array of integers; null or absent → undefined. */
  intList(key: string): number[] | undefined;
  /** An object of strings; null or absent → undefined. */
  strMap(key: string): Record<string, string> | undefined;
  /** The keys of an object (ExposedPorts, Volumes); null or absent → undefined. */
  keys(key: string): string[] | undefined;
  /** A nested object; null or absent → undefined. */
  obj(key: string): Fields | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fields(source: Record<string, unknown>, where: string): Fields {
  const bad = (key: string, what: string) => invalidArgument(`invalid JSON: ${where}.${key} must be ${what}`);
  const present = (key: string) => source[key] !== undefined && source[key] !== null;
  const strList = (key: string): string[] | undefined => {
    if (!present(key)) return undefined;
    const v = source[key];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw bad(key, 'an array of strings');
    return v as string[];
  };
  const object = (key: string): Record<string, unknown> | undefined => {
    if (!present(key)) return undefined;
    const v = source[key];
    if (!isObject(v)) throw bad(key, 'an object');
    return v;
  };
  return {
    str(key) {
      if (!present(key)) return undefined;
      if (typeof source[key] !== 'string') throw bad(key, 'a string');
      return source[key] as string;
    },
    bool(key) {
      if (!present(key)) return false;
      if (typeof source[key] !== 'boolean') throw bad(key, 'a boolean');
      return source[key] as boolean;
    },
    int(key) {
      if (!present(key)) return undefined;
      if (!Number.isInteger(source[key])) throw bad(key, 'an integer');
      return source[key] as number;
    },
    strSlice(key) {
      return typeof source[key] === 'string' ? [source[key] as string] : strList(key);
    },
    strList,
    intList(key) {
      if (!present(key)) return undefined;
      const v = source[key];
      if (!Array.isArray(v) || !v.every((n) => Number.isInteger(n))) throw bad(key, 'an array of integers');
      return v as number[];
    },
    strMap(key) {
      const v = object(key);
      if (v && !Object.values(v).every((s) => typeof s === 'string')) throw bad(key, 'an object of strings');
      return v as Record<string, string> | undefined;
    },
    keys: (key) => {
      const v = object(key);
      return v && Object.keys(v);
    },
    obj(key) {
      const v = object(key);
      return v && fields(v, `${where}.${key}`);
    },
  };
}

/** Drops undefined and empty-string fields: Docker's "" means "the image's", as undefined does in engine specs. */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== '')) as T;
}
