import type { NetworkRule, RandomFaults, Segment, SegmentKind } from './types';

/** What the wire does with one segment: deliver after `delayMs`, maybe a copy too, or lose it. */
export type WireFate =
  | { drop: 'scenario' | 'random' }
  | { drop?: undefined; delayMs: number; extraByRule: number; copyDelayMs?: number };

/** Names a segment by its flags; schedules and diagrams use these names. */
export function segmentKind(s: { syn: boolean; ack: boolean; fin: boolean; rst: boolean; data: string; probe?: boolean }): SegmentKind {
  if (s.rst) {
    return 'RST';
  }
  if (s.syn) {
    return s.ack ? 'SYN-ACK' : 'SYN';
  }
  if (s.fin) {
    return 'FIN';
  }
  if (s.data.length > 0) {
    return 'DATA';
  }
  return s.probe ? 'PROBE' : 'ACK';
}

/**
 * The network between the endpoints: a fixed one-way latency, the scenario's rules (each
 * counts its matches, so "the first ACK sent in TIME_WAIT" is expressible), then seeded faults.
 */
export class Wire {
  private readonly hits: number[];

  constructor(
    private readonly latencyMs: number,
    private readonly rules: NetworkRule[],
    private readonly faults?: RandomFaults,
    private readonly random?: () => number,
  ) {
    this.hits = rules.map(() => 0);
  }

  fate(seg: Segment): WireFate {
    let extraByRule = 0;
    let copyDelayMs: number | undefined;
    for (const [i, rule] of this.rules.entries()) {
      if (!matches(rule, seg)) {
        continue;
      }
      this.hits[i]++;
      if (rule.nth !== undefined && rule.nth !== this.hits[i]) {
        continue;
      }
      if (rule.action === 'drop') {
        return { drop: 'scenario' };
      }
      if (rule.action === 'delay') {
        extraByRule += rule.delayMs ?? 0;
      } else {
        copyDelayMs = rule.delayMs ?? 0;
      }
    }
    let extra = extraByRule;
    if (this.faults && this.random) {
      if (this.random() < this.faults.drop) {
        return { drop: 'random' };
      }
      extra += Math.round(this.random() * this.faults.maxDelayMs);
      if (copyDelayMs === undefined && this.random() < this.faults.duplicate) {
        copyDelayMs = Math.round(this.random() * this.faults.maxDelayMs);
      }
    }
    return { delayMs: this.latencyMs + extra, extraByRule, copyDelayMs };
  }
}

function matches(rule: NetworkRule, seg: Segment): boolean {
  return (rule.from === undefined || rule.from === seg.from)
    && (rule.kind === undefined || rule.kind === seg.kind)
    && (rule.senderState === undefined || rule.senderState === seg.senderState)
    && (rule.retransmit === undefined || rule.retransmit === seg.retransmit);
}
