import type { english } from "./catalogs/english.js";

/**
 * The shape of a message catalog. The English catalog defines the keys; every other language is
 * typed `Catalog`, so a key missing there (or one English does not have) is a compile error.
 */
export type MessageKey = keyof typeof english;

export type Catalog = { readonly [Key in MessageKey]: string };

/** The `{name}` placeholders of a message, read from the English text's type. */
export type Placeholders<Text extends string> = Text extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a message needs: none for a message without placeholders. */
export type ValuesFor<Key extends MessageKey> = [Placeholders<(typeof english)[Key]>] extends [never]
  ? []
  : [values: { readonly [Name in Placeholders<(typeof english)[Key]>]: string | number }];

/** A noun counted in every language: `unit.token.one` and `unit.token.other` make the base `unit.token`. */
export type CountedKey = { [Key in MessageKey]: Key extends `${infer Base}.other` ? (`${Base}.one` extends MessageKey ? Base : never) : never }[MessageKey];

/** The names of the placeholders in a message text, sorted: the same in every language. */
export function placeholdersIn(text: string): readonly string[] {
  return [...new Set([...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1] ?? ""))].sort();
}
