// Entry point VS Code loads for the integration suite (the contract @vscode/test-electron and
// code-server's smoke-test driver share): runs every *.test.js beside it with mocha and writes
// the counts to the file the launcher named.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.SOCKET_LIFECYCLE_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const results = { passed: runner.stats?.passes ?? 0, failed: failures };
      const out = process.env.SOCKET_LIFECYCLE_TEST_RESULTS;
      if (out) {
        writeFileSync(out, JSON.stringify(results));
      }
      console.log(`integration suite: ${results.passed} passed, ${results.failed} failed`);
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
