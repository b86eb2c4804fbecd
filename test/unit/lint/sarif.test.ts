import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { projectRoot } from './helpers';

const ROOT = projectRoot();
const CLI = join(ROOT, 'dist', 'cli.js');
/**
 * The SARIF 2.1.0 JSON schema as Microsoft ships it in @microsoft/jest-sarif (2.1.0-rtm.5,
 * JSON Schema draft-04): read from node_modules, never fetched.
 */
const SCHEMA = join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
  }[];
}

/** A validator for the official schema; formats (uri, date-time) are checked too. */
function sarifValidator() {
  // The schema's language pattern has a stray `]` that only a non-unicode RegExp accepts.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
}

function lintSarif(...paths: string[]): { status: number | null; log: SarifLog; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'sarif', ...paths], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, log: JSON.parse(r.stdout) as SarifLog, stderr: r.stderr };
}

describe('socket-lifecycle lint --format sarif', () => {
  it('emits a SARIF 2.1.0 log that the official schema accepts', () => {
    const { status, log } = lintSarif('test/fixtures/lint');
    const validate = sarifValidator();
    const valid = validate(log);
    assert.equal(valid, true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(status, 1, 'exit 1 when there are findings');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.ok(log.runs[0].results.length > 0, 'the fixture corpus has findings');
  });

  it('names every rule once and points each result at its rule and a relative file', () => {
    const { log } = lintSarif('test/fixtures/lint');
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 7);
    for (const result of run.results) {
      assert.equal(ids[result.ruleIndex], result.ruleId);
      const uri = result.locations[0].physicalLocation.artifactLocation.uri;
      assert.match(uri, /^test\/fixtures\/lint\/[\w.-]+$/);
    }
  });

  it('stays valid with no findings (an empty results array)', () => {
    const { status, log } = lintSarif('test/fixtures/workspace/README.md');
    const validate = sarifValidator();
    assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    assert.equal(status, 0);
    assert.deepEqual(log.runs[0].results, []);
  });

  it('rejects a log the schema forbids (the validator is not a no-op)', () => {
    const { log } = lintSarif('test/fixtures/lint');
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { level?: string }[] }[] };
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(sarifValidator()(broken), false);
  });
});
