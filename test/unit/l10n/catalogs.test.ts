import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Catalog, LOCALE, messageOf, placeholders, readJson } from './catalog';

const codicons = (s: string) => (s.match(/\$\([\w~-]+\)/g) ?? []).sort();

describe(`package.nls.${LOCALE}.json`, () => {
  const english = readJson<Record<string, string>>('package.nls.json');
  const chinese = readJson<Record<string, string>>(`package.nls.${LOCALE}.json`);

  it('translates every key of package.nls.json', () => {
    const missing = Object.keys(english).filter((k) => typeof chinese[k] !== 'string' || chinese[k].trim() === '');
    assert.deepEqual(missing, [], `untranslated: ${missing.join(', ')} (run node scripts/l10nCheck.mjs)`);
  });

  it('has no stale keys', () => {
    const stale = Object.keys(chinese).filter((k) => !(k in english));
    assert.deepEqual(stale, []);
  });

  it('keeps placeholders and codicons', () => {
    const wrong = Object.keys(english).filter((k) => k in chinese && (
      placeholders(english[k]).join() !== placeholders(chinese[k]).join() || codicons(english[k]).join() !== codicons(chinese[k]).join()));
    assert.deepEqual(wrong, []);
  });
});

describe(`l10n/bundle.l10n.${LOCALE}.json`, () => {
  const english = readJson<Catalog>('l10n', 'bundle.l10n.json');
  const chinese = readJson<Record<string, unknown>>('l10n', `bundle.l10n.${LOCALE}.json`);
  const translation = (key: string) => {
    const v = chinese[key];
    return typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string'
      ? (v as { message: string }).message : undefined;
  };

  it('translates every key of the English bundle', () => {
    const missing = Object.keys(english).filter((k) => !translation(k)?.trim());
    assert.deepEqual(missing, [], `${missing.length} untranslated (node scripts/l10nCheck.mjs --missing lists them)`);
  });

  it('keeps the same placeholders in every translation', () => {
    const wrong = Object.entries(english)
      .filter(([k]) => translation(k) !== undefined)
      .filter(([k, v]) => placeholders(messageOf(v)).join() !== placeholders(translation(k)!).join())
      .map(([k]) => `${JSON.stringify(k)} -> ${JSON.stringify(translation(k))}`);
    assert.deepEqual(wrong, []);
  });

  it('keeps codicons and line breaks', () => {
    const wrong = Object.entries(english)
      .filter(([k]) => translation(k) !== undefined)
      .filter(([k, v]) => codicons(messageOf(v)).join() !== codicons(translation(k)!).join()
        || messageOf(v).split('\n').length !== translation(k)!.split('\n').length)
      .map(([k]) => k);
    assert.deepEqual(wrong, []);
  });

  it('has no stale keys', () => {
    const stale = Object.keys(chinese).filter((k) => !(k in english));
    assert.deepEqual(stale, [], 'keys no source uses any more: node scripts/l10nCheck.mjs --merge drops them');
  });
});
