import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULE_IDS } from '../../../src/lint/rules/index';
import { localizedDocsName, ruleSections } from '../../../src/lint/vscode/sections';
import { LOCALE, ROOT } from './catalog';

const read = (name: string) => readFileSync(join(ROOT, 'docs', name), 'utf8');
const headings = (md: string) => md.split(/\r?\n/).filter((l) => l.startsWith('## ')).map((l) => l.trim());
/** Fenced code blocks, fences included: the examples must be the same in every language. */
const codeBlocks = (md: string) => md.match(/^```[^\n]*\n[\s\S]*?^```$/gm) ?? [];
/** Inline code spans (`SO_REUSEADDR`, `close()`): names a translation must not touch. */
const inlineCode = (md: string) => (md.replace(/^```[\s\S]*?^```$/gm, '').match(/`[^`\n]+`/g) ?? []).sort();

describe(`docs/lint-rules.${LOCALE}.md`, () => {
  const english = read('lint-rules.md');
  const name = localizedDocsName(LOCALE);
  assert.ok(name, `a docs file name for ${LOCALE}`);
  const translated = read(name);

  it('has the same ## headings as the English docs, in the same order', () => {
    assert.deepEqual(headings(translated), headings(english));
  });

  it('explains every rule of src/lint/rules in both languages', () => {
    for (const md of [english, translated]) {
      const sections = ruleSections(md);
      const missing = RULE_IDS.filter((id) => (sections.get(id) ?? '').length < 10);
      assert.deepEqual(missing, []);
      assert.deepEqual([...sections.keys()].sort(), [...RULE_IDS].sort(), 'no section for a rule that does not exist');
    }
  });

  it('keeps the code examples identical', () => {
    assert.ok(codeBlocks(english).length > 0);
    assert.equal(codeBlocks(translated).length, codeBlocks(english).length);
    assert.deepEqual(codeBlocks(translated), codeBlocks(english));
  });

  it('keeps the inline code of each rule section', () => {
    const en = ruleSections(english);
    const zh = ruleSections(translated);
    for (const id of RULE_IDS) {
      assert.deepEqual(inlineCode(zh.get(id) ?? ''), inlineCode(en.get(id) ?? ''), id);
    }
  });
});

describe('localizedDocsName', () => {
  it('names the translated docs of a UI language, none for English or odd input', () => {
    assert.equal(localizedDocsName('zh-cn'), 'lint-rules.zh-cn.md');
    assert.equal(localizedDocsName('zh-CN'), 'lint-rules.zh-cn.md');
    for (const language of ['en', 'en-us', '', '../x', 'zh-cn/../../etc']) {
      assert.equal(localizedDocsName(language), undefined, language);
    }
  });
});
