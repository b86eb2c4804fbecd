// The host's guard for messages from the webview, fuzzed: 10,000 random and mutated messages,
// no exception, and only messages an independent oracle calls valid are accepted.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isToHost, parseToHost, MAX_WATCHED_PORTS } from '../../../src/protocol';

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const random = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const int = (max: number) => Math.floor(random() * max);

const TYPES = ['ready', 'runLesson', 'watchPorts', 'probeResult', 'READY', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];

function junk(depth = 0): unknown {
  switch (int(depth > 2 ? 7 : 10)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return pick([0, -1, 1.5, 65535, 65536, NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2, 7865]);
    case 3: return pick(['', 'time-wait', 'x'.repeat(300), '<img src=x onerror=alert(1)>', 'TIME_WAIT', 'Time-Wait', '-bad', 'ready']);
    case 4: return random() < 0.5;
    case 5: return BigInt(int(10));
    case 6: return Symbol('s');
    case 7: return Array.from({ length: int(4) }, () => junk(depth + 1));
    case 8: {
      const o: Record<string, unknown> = {};
      for (let i = int(4); i > 0; i--) {
        o[pick(['type', 'lesson', 'ports', 'id', 'result', 'x', '__proto__'])] = junk(depth + 1);
      }
      return o;
    }
    default: return { type: pick(TYPES), ...(random() < 0.5 ? {} : { lesson: junk(depth + 1), ports: junk(depth + 1), id: junk(depth + 1), result: junk(depth + 1) }) };
  }
}

const validProbe = () => ({
  tab: pick(['live', 'timeline']), empty: random() < 0.5,
  tableRows: Array.from({ length: int(3) }, () => ({ key: `127.0.0.1:${int(65535)}>127.0.0.1:${int(65535)}`, state: 'TIME_WAIT', timer: '59.1 s' })),
  markers: Array.from({ length: int(3) }, () => ({ key: 'k', state: 'LISTEN' })),
  sequences: Array.from({ length: int(2) }, () => ({ key: 'a|b', firstFin: '127.0.0.1:7865' })),
});

function valid(): Record<string, unknown> {
  switch (int(4)) {
    case 0: return { type: 'ready' };
    case 1: return { type: 'runLesson', lesson: pick(['time-wait', 'close-wait', 'linger-reset', 'a', 'keepalive2']) };
    case 2: return { type: 'watchPorts', ports: Array.from({ length: int(MAX_WATCHED_PORTS + 1) }, () => 1 + int(65535)) };
    default: return { type: 'probeResult', id: int(1e9), result: validProbe() };
  }
}

/** Mutations that always make a valid message invalid. */
function broken(): unknown {
  const m = valid();
  const wrong = pick<unknown>([null, undefined, '7865', -1, 1.5, 70000, {}, [], true, 'Time Wait', '', 'x'.repeat(50)]);
  switch (m.type) {
    case 'ready':
      return { ...m, extra: wrong };
    case 'runLesson':
      return pick([{ ...m, lesson: pick([null, 1, '', 'TIME-WAIT', 'a b', '-x', 'x'.repeat(41), ['time-wait']]) }, { type: 'runLesson' }, { ...m, zz: 1 }]);
    case 'watchPorts':
      return pick([{ ...m, ports: [...(m.ports as number[]), pick([0, -1, 65536, 1.5, '80', null])] },
        { ...m, ports: Array.from({ length: MAX_WATCHED_PORTS + 1 }, () => 80) }, { type: 'watchPorts' }, { ...m, ports: 80 }]);
    default: {
      const result = m.result as Record<string, unknown>;
      return pick([{ ...m, id: pick([-1, 1.5, '1', null]) }, { ...m, result: { ...result, empty: 'no' } },
        { ...m, result: { ...result, tableRows: [{ key: 1, state: 'x', timer: '' }] } }, { ...m, result: { ...result, extra: 1 } },
        { ...m, result: null }, { ...m, result: { ...result, markers: [{ key: 'k', state: 'x'.repeat(41) }] } }]);
    }
  }
}

/** Independent oracle: the protocol written out again, plainly. */
function oracle(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return false;
  }
  const m = v as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  const str = (x: unknown, max: number) => typeof x === 'string' && x.length <= max;
  switch (m.type) {
    case 'ready': return keys === 'type';
    case 'runLesson': return keys === 'lesson,type' && typeof m.lesson === 'string' && /^[a-z0-9][a-z0-9-]{0,39}$/.test(m.lesson);
    case 'watchPorts': return keys === 'ports,type' && Array.isArray(m.ports) && m.ports.length <= MAX_WATCHED_PORTS
      && m.ports.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535);
    case 'probeResult': {
      const r = m.result as Record<string, unknown>;
      const rows = (x: unknown, fields: string[]) => Array.isArray(x) && x.every((o) => typeof o === 'object' && o !== null && !Array.isArray(o)
        && Object.keys(o).every((k) => fields.includes(k)) && fields.every((f) => str((o as Record<string, unknown>)[f], f === 'state' ? 40 : 200)));
      return keys === 'id,result,type' && typeof m.id === 'number' && Number.isSafeInteger(m.id) && m.id >= 0
        && typeof r === 'object' && r !== null && !Array.isArray(r)
        && Object.keys(r).every((k) => ['tab', 'empty', 'tableRows', 'markers', 'sequences'].includes(k))
        && str(r.tab, 40) && typeof r.empty === 'boolean' && rows(r.tableRows, ['key', 'state', 'timer'])
        && rows(r.markers, ['key', 'state']) && rows(r.sequences, ['key', 'firstFin']);
    }
    default: return false;
  }
}

describe('protocol: isToHost / parseToHost', () => {
  it(`fuzz: 10,000 messages (seed ${SEED}), no exception, accepted exactly when the oracle says valid`, () => {
    let accepted = 0;
    let validCount = 0;
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 3;
      const message = kind === 0 ? valid() : kind === 1 ? broken() : junk();
      let got: boolean;
      try {
        got = parseToHost(message) !== undefined;
      } catch (error) {
        assert.fail(`message ${i} threw: ${String(error)}`);
      }
      const expected = oracle(message);
      assert.equal(got, expected, `message ${i} (${kind === 0 ? 'valid' : kind === 1 ? 'broken' : 'junk'}): ${String(JSON.stringify(message, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))?.slice(0, 300)}`);
      if (kind === 0) {
        assert.equal(got, true, `generated valid message ${i} rejected`);
      }
      if (kind === 1) {
        assert.equal(got, false, `broken message ${i} accepted`);
      }
      accepted += got ? 1 : 0;
      validCount += kind === 0 ? 1 : 0;
    }
    assert.ok(accepted >= validCount, `${accepted} accepted, ${validCount} generated valid`);
  });

  it('rejects hostile objects without throwing (throwing getters, proxies, prototype keys)', () => {
    const throwing = Object.defineProperty({ type: 'runLesson' }, 'lesson', { get() { throw new Error('boom'); }, enumerable: true });
    const proxy = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    const protoType = JSON.parse('{"type":"__proto__"}');
    for (const v of [throwing, proxy, protoType, Object.create(null), { type: 'hasOwnProperty' }, { type: 'ready', __proto__: { x: 1 } }]) {
      assert.doesNotThrow(() => parseToHost(v));
    }
    assert.equal(parseToHost(throwing), undefined);
    assert.equal(parseToHost(proxy), undefined);
    assert.equal(parseToHost(protoType), undefined);
    assert.equal(isToHost({ type: 'ready' }), true);
  });
});
