// Lists what the Simplified Chinese translation still lacks, so translating stays re-runnable
// while the sources grow.
//   node scripts/l10nCheck.mjs            report missing, stale and placeholder-mismatched keys
//   node scripts/l10nCheck.mjs --missing  print the bundle's untranslated keys as a JSON object to fill in
//   node scripts/l10nCheck.mjs --merge F  add the translations in JSON file F (keyed by key or by
//                                         message), drop stale keys, and write the zh-cn bundle in
//                                         the English bundle's order
// Run `node scripts/l10nExport.mjs` first: l10n/bundle.l10n.json is the list of keys.
// Exit code 1 when anything is missing, stale or mismatched.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const LOCALE = 'zh-cn';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
/** The English text of a bundle entry: l10n-dev writes `{ message, comment }` for commented strings. */
const text = (value) => (typeof value === 'string' ? value : value.message);
/** The set of `{name}` placeholders, as one sorted string to compare. */
const placeholders = (s) => [...new Set(s.match(/\{[^{}\s]+\}/g) ?? [])].sort().join(' ');

/** Compares one English catalogue with its translation. */
function compare(label, english, translated) {
  const problems = [];
  const missing = {};
  for (const [key, value] of Object.entries(english)) {
    const zh = translated[key];
    if (typeof zh !== 'string' || zh.trim() === '') {
      missing[key] = text(value);
    } else if (placeholders(text(value)) !== placeholders(zh)) {
      problems.push(`${label}: placeholders differ for ${JSON.stringify(key)}: ${JSON.stringify(zh)}`);
    }
  }
  for (const key of Object.keys(translated)) {
    if (!(key in english)) {
      problems.push(`${label}: stale key ${JSON.stringify(key)}`);
    }
  }
  for (const key of Object.keys(missing)) {
    problems.push(`${label}: untranslated ${JSON.stringify(key)}`);
  }
  return { problems, missing };
}

const bundlePath = join(ROOT, 'l10n', 'bundle.l10n.json');
const zhBundlePath = join(ROOT, 'l10n', `bundle.l10n.${LOCALE}.json`);
const english = readJson(bundlePath);
let zh = {};
try {
  zh = readJson(zhBundlePath);
} catch {
  // No translation yet: everything is missing.
}

const args = process.argv.slice(2);
if (args[0] === '--merge') {
  const additions = readJson(resolve(args[1]));
  const merged = {};
  for (const [key, entry] of Object.entries(english)) {
    // A commented string's key is "message/comment"; a translation may be given for the message.
    const value = additions[key] ?? zh[key] ?? additions[text(entry)];
    if (value !== undefined) {
      merged[key] = value;
    }
  }
  const messages = new Set(Object.values(english).map(text));
  const ignored = Object.keys(additions).filter((k) => !(k in english) && !messages.has(k));
  writeFileSync(zhBundlePath, JSON.stringify(merged, null, 2) + '\n');
  console.log(`wrote ${Object.keys(merged).length} of ${Object.keys(english).length} keys to ${zhBundlePath}`);
  if (ignored.length) {
    console.log(`ignored ${ignored.length} keys not in the English bundle:\n${ignored.map((k) => '  ' + JSON.stringify(k)).join('\n')}`);
  }
  zh = readJson(zhBundlePath);
}

const bundle = compare(`l10n/bundle.l10n.${LOCALE}.json`, english, zh);
let nlsZh = {};
try {
  nlsZh = readJson(join(ROOT, `package.nls.${LOCALE}.json`));
} catch {
  // No translation yet.
}
const nls = compare(`package.nls.${LOCALE}.json`, readJson(join(ROOT, 'package.nls.json')), nlsZh);

if (args[0] === '--missing') {
  console.log(JSON.stringify(bundle.missing, null, 2));
} else {
  const problems = [...bundle.problems, ...nls.problems];
  console.log(problems.length ? problems.join('\n') : `${LOCALE}: every key translated`);
  process.exitCode = problems.length ? 1 : 0;
}
