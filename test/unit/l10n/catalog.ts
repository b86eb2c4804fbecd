import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, from out/test/unit/l10n/*.js. */
export const ROOT = join(__dirname, '..', '..', '..', '..');

/** The locale we ship besides English. */
export const LOCALE = 'zh-cn';

export type Catalog = Record<string, string | { message: string; comment?: string[] }>;

export function readJson<T = Catalog>(...path: string[]): T {
  return JSON.parse(readFileSync(join(ROOT, ...path), 'utf8')) as T;
}

/** The English text of an entry: l10n-dev writes `{ message, comment }` for commented strings. */
export function messageOf(value: Catalog[string]): string {
  return typeof value === 'string' ? value : value.message;
}

/** The `{name}` / `{0}` placeholders of a message, sorted, each once. */
export function placeholders(message: string): string[] {
  return [...new Set(message.match(/\{[^{}\s]+\}/g) ?? [])].sort();
}
