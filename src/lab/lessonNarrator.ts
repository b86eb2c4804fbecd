import * as vscode from 'vscode';
import type { LessonEvent } from './lessons/engine';

const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

/** The "Lesson: NAME" terminal: each step's action, expected and observed state, and why. */
export class LessonNarrator implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private pending: string[] | undefined = [];
  private total = 0;
  /** Plain text of everything narrated (tests). */
  transcript = '';

  constructor(private readonly title: string) {}

  open(): void {
    const queued = this.pending ?? [];
    this.pending = undefined;
    queued.forEach((t) => this.writeEmitter.fire(t));
  }

  close(): void {
    this.writeEmitter.dispose();
  }

  onLessonEvent(e: LessonEvent): void {
    switch (e.type) {
      case 'lessonStarted':
        this.total = e.lesson.steps.length;
        this.line(`${BOLD}${this.title}${RESET}`, this.title);
        this.line(vscode.l10n.t('{0} (runtime {1}, ports {2})', e.lesson.summary, e.runtime, [...new Set(Object.values(e.ports))].join(', ')));
        break;
      case 'stepStarted':
        this.line('');
        this.line(`${BOLD}[${e.index + 1}/${this.total}] ${e.step.title}${RESET}`, `[${e.index + 1}/${this.total}] ${e.step.title}`);
        break;
      case 'action':
        this.line(`  > ${e.text}`);
        break;
      case 'stepFinished': {
        for (const v of e.verdicts) {
          const mark = v.ok ? `${GREEN}✓${RESET}` : `${RED}✗${RESET}`;
          this.line(`  ${mark} ${vscode.l10n.t('expected')}: ${v.expected}`, `  ${v.ok ? '✓' : '✗'} expected: ${v.expected}`);
          this.line(`    ${vscode.l10n.t('observed')}: ${v.observed}`);
        }
        if (e.status === 'skipped') {
          this.line(`  ${YELLOW}${e.note ?? ''}${RESET}`, `  ${e.note ?? ''}`);
        }
        this.line(`  ${DIM}${e.step.explain}${RESET}`, `  ${e.step.explain}`);
        break;
      }
      case 'lessonFinished':
        this.line('');
        if (e.error) {
          this.line(`${RED}${vscode.l10n.t('The lesson stopped: {0}', e.error)}${RESET}`, e.error);
        }
        this.line(e.passed ? vscode.l10n.t('Every step held on this kernel.') : vscode.l10n.t('Some steps did not hold; see above.'));
        break;
      default:
        break;
    }
  }

  private line(text: string, plain = text): void {
    this.transcript += plain + '\n';
    const out = text + '\r\n';
    if (this.pending) {
      this.pending.push(out);
    } else {
      this.writeEmitter.fire(out);
    }
  }
}
