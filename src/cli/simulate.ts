import { l10n } from '../l10n';
import { describeScenario, isScenarioId, SCENARIO_IDS, simulate } from '../tcp/sim';
import { renderTextDiagram } from '../tcp/sim/textDiagram';
import { duration } from '../tcp/sim/words';
import { type CliCommand, parseFlags, UsageError } from './command';

/** Largest MSL accepted: one hour (a 2 h TIME_WAIT) is already far beyond any real stack. */
const MAX_MSL_SECONDS = 3600;

/** `socket-lifecycle simulate SCENARIO [--json] [--msl SECONDS] [--brief]`. */
export const simulateCommand: CliCommand = {
  name: 'simulate',
  get summary() {
    return l10n.t('run a TCP scenario on a model: lost final ACK, old duplicate, half-open, ...');
  },
  get usage() {
    return [
      l10n.t('Usage: socket-lifecycle simulate SCENARIO [--json] [--msl SECONDS] [--brief]'),
      '',
      l10n.t('Runs a simulation (a model of TCP, not your kernel) and prints its trace as a sequence diagram.'),
      '',
      l10n.t('Scenarios:'),
      ...SCENARIO_IDS.map((id) => `  ${id.padEnd(26)} ${describeScenario(id).title}`),
      '',
      l10n.t('Options:'),
      `  --json          ${l10n.t('one JSON object per trace event (JSON lines)')}`,
      `  --msl SECONDS   ${l10n.t('maximum segment lifetime; TIME_WAIT lasts twice this (default 30)')}`,
      `  --brief         ${l10n.t('diagram only, without the explanation of each step')}`,
    ].join('\n');
  },
  async run(args, io) {
    const { flags, positional } = parseFlags(args, { json: 'boolean', msl: 'string', brief: 'boolean' });
    if (positional.length !== 1) {
      throw new UsageError(l10n.t('name one scenario: {list}', { list: SCENARIO_IDS.join(', ') }));
    }
    const [id] = positional;
    if (!isScenarioId(id)) {
      throw new UsageError(l10n.t('unknown scenario \'{id}\'; valid scenarios: {list}', { id, list: SCENARIO_IDS.join(', ') }));
    }
    let mslMs: number | undefined;
    if (flags.msl !== undefined) {
      const seconds = Number(flags.msl);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_MSL_SECONDS) {
        throw new UsageError(l10n.t('--msl needs a number of seconds greater than 0 and at most {max}', { max: MAX_MSL_SECONDS }));
      }
      mslMs = Math.round(seconds * 1000);
    }
    const trace = simulate(id, { mslMs });
    if (flags.json) {
      for (const event of trace.events) {
        io.stdout.write(JSON.stringify({ simulation: true, scenario: id, ...event }) + '\n');
      }
      return 0;
    }
    const info = describeScenario(id);
    const heading = l10n.t('SIMULATION (a model of TCP, not your kernel): {id} - {title}, MSL {msl}', { id, title: info.title, msl: duration(trace.mslMs) });
    io.stdout.write(renderTextDiagram(trace, heading, !flags.brief));
    return 0;
  },
};
