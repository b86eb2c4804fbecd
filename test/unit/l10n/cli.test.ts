import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCALE, ROOT, readJson } from './catalog';

const CLI = join(ROOT, 'dist', 'cli.js');
const CJK = /[\u4e00-\u9fff]/;

/** Runs the built CLI with only the locale variables given (none inherited from this shell). */
function cli(args: string[], locale: NodeJS.ProcessEnv) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...locale };
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 30_000 });
}

describe('the CLI speaks the locale it is given (built dist/cli.js)', () => {
  const zh = readJson<Record<string, string>>('l10n', `bundle.l10n.${LOCALE}.json`);

  it('prints Chinese help with SOCKET_LIFECYCLE_LANG=zh_CN.UTF-8', () => {
    const r = cli(['--help'], { SOCKET_LIFECYCLE_LANG: 'zh_CN.UTF-8', LANG: 'C' });
    assert.equal(r.status, 0);
    for (const key of ['Usage: socket-lifecycle <command> [options]', 'Commands:', 'print the version']) {
      assert.ok(zh[key], `no translation for ${key}`);
      assert.ok(r.stdout.includes(zh[key]), `help lacks ${JSON.stringify(zh[key])}:\n${r.stdout}`);
    }
    assert.doesNotMatch(r.stdout, /Usage:/);
  });

  it('prints Chinese errors when LANG asks for Chinese', () => {
    const r = cli(['frobnicate'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, CJK);
    assert.match(r.stderr, /frobnicate/);
  });

  it('prints English with LANG=C', () => {
    const r = cli(['--help'], { LANG: 'C' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: socket-lifecycle <command> \[options\]/);
    assert.doesNotMatch(r.stdout, CJK);
  });
});
