import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a file of test/fixtures/sockets (tests run from out/test/unit/sockets). */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sockets', name), 'utf8');
}
