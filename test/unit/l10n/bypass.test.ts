import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT, readJson } from './catalog';
import { manifestOffenders, scanSource, scanSources } from './scan';

describe('no user-visible string bypasses l10n', () => {
  it('the sources pass every UI text through l10n.t', () => {
    const offenders = scanSources(ROOT).map((o) => `${o.file}:${o.line}  ${o.why}: ${JSON.stringify(o.text.slice(0, 80))}`);
    assert.equal(offenders.length, 0, `${offenders.length} strings bypass l10n:\n${offenders.join('\n')}`);
  });

  it('package.json contributions use %key% references that package.nls.json defines', () => {
    assert.deepEqual(manifestOffenders(readJson('package.json'), readJson<Record<string, string>>('package.nls.json')), []);
  });
});

describe('the l10n bypass scan itself', () => {
  const scan = (code: string, path = 'src/x.ts') => scanSource(path, `import * as vscode from 'vscode';\n${code}`).map((o) => o.line);

  it('flags literal text given to the UI, with its line', () => {
    assert.deepEqual(scan(`vscode.window.showErrorMessage('Port is busy');`), [2]);
    assert.deepEqual(scan(`\nvscode.window.showWarningMessage(vscode.l10n.t('Busy'), 'Retry');`), [3]);
    assert.deepEqual(scan(`item.text = \`$(plug) Watching \${n}\`;`), [2]);
    assert.deepEqual(scan(`vscode.window.showInputBox({ prompt: 'Port?', placeHolder: '7865' });`), [2]);
    assert.deepEqual(scan(`vscode.window.showQuickPick([{ label: 'Open', description: vscode.l10n.t('x') }]);`), [2]);
    assert.deepEqual(scan(`vscode.window.createTerminal({ name: 'Echo server', pty });`), [2]);
    assert.deepEqual(scan(`vscode.window.withProgress({ location, title: 'Compiling' }, run);`), [2]);
    assert.deepEqual(scan(`new vscode.Diagnostic(range, 'leak: ' + name);`), [2]);
    assert.deepEqual(scan(`const s = uiStrings((m) => m); s.x = t('Live');`), [2]);
  });

  it('lets l10n.t calls and non-text values through', () => {
    assert.deepEqual(scan(`vscode.window.showErrorMessage(vscode.l10n.t('Port {0} is busy', port));`), []);
    assert.deepEqual(scan(`item.text = \`$(plug) \${summary}\`; item.text = '$(sync~spin)';`), []);
    assert.deepEqual(scan(`vscode.window.createWebviewPanel('socketLifecycle.panel', vscode.l10n.t('Panel'), col);`), []);
    assert.deepEqual(scan(`const row = { name: 'server', title: x };`), []);
    assert.deepEqual(scan(`item.tooltip = error.message; item.text = '';`), []);
    assert.deepEqual(scan(`console.log('a plain log line in an adapter');`), []);
  });

  it('flags CLI sentences outside l10n.t and ignores flags and the program name', () => {
    assert.deepEqual(scanSource('src/cli/x.ts', `throw new UsageError('expected a port number here');`).length, 1);
    assert.deepEqual(scanSource('src/cli/x.ts', `function help() { out(\`  --help     \${l10n.t('show this help')}\`); }`), []);
    assert.deepEqual(scanSource('src/cli/x.ts', `write(\`socket-lifecycle \${name}: \${message}\\n\`);`), []);
    assert.deepEqual(scanSource('src/cli/x.ts', `const DOCS = 'https://example.com/docs/lint-rules.md';`), []);
  });

  it('accepts l10n.t at module load: extension.ts and cli.ts install the translator first', () => {
    const pure = (code: string) => scanSource('src/x.ts', `import { l10n } from './l10n';\n${code}`).map((o) => o.line);
    assert.deepEqual(pure(`export const cmd = { summary: l10n.t('list the sockets') };`), []);
  });

  it('installs the translator before any other module loads (host and CLI)', () => {
    const root = ROOT;
    const firstImport = (file: string) => /^import\s+['"]([^'"]+)['"]/m.exec(readFileSync(join(root, file), 'utf8'))?.[1];
    assert.equal(firstImport('src/extension.ts'), './l10nHost');
    assert.equal(firstImport('src/cli.ts'), './cli/l10nSetup');
  });

  it('finds manifest text that is not a %key%', () => {
    const pkg = { contributes: { commands: [{ command: 'a.b', title: 'Open', category: '%category%' }],
      configuration: { properties: { 'a.c': { description: '%c.description%' } } } } };
    assert.deepEqual(manifestOffenders(pkg, { category: 'x' }), [
      'package.json contributes.commands[0].title: "Open" is not a %key% reference',
      'package.json contributes.configuration.properties.a.c.description: %c.description% is missing from package.nls.json',
    ]);
  });
});
