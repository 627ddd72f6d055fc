/**
 * JSON text that remembers what it encodes. A column typed `JsonText<T>` can only be written with
 * `toJsonText(value)` of a T, so reading it back with `parseJsonText` gives a T without a cast at
 * each read: the one cast is here. A document whose fields grew over time is typed with the fields
 * old rows may lack optional, and its reader fills in defaults.
 */
declare const encodes: unique symbol;

export type JsonText<T> = string & { readonly [encodes]: T };

export function toJsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}

export function parseJsonText<T>(text: JsonText<T>): T {
  return JSON.parse(text) as T;
}

/** Names per locale (`{"fr_FR": "Guichet 1"}`), as display boards and notifications show them. */
export type LocalizedNames = Record<string, string>;
