// The Lessons tab: the six lessons as guided steps. Each step's button asks the host to perform
// its actions on the real kernel; the host answers with expected vs observed per step.
import type { LessonProgress, LessonRunView, LessonStepRun, LessonView, ToHost, UiStrings } from '../protocol';
import { fill, h } from './dom';

const MARKS: Record<LessonStepRun['status'], string> = {
  pending: '\u25cb', waiting: '\u25b8', running: '\u2026', passed: '\u2713', failed: '\u2717', skipped: '\u2013',
};

export class LessonsView {
  readonly element: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly detail: HTMLElement;
  private lessons: LessonView[] = [];
  private progress: LessonProgress = {};
  private run: LessonRunView | undefined;
  private selected: string | undefined;

  constructor(private readonly strings: UiStrings, private readonly post: (message: ToHost) => void,
    private readonly onSelect: (lesson: string) => void = () => undefined) {
    this.nav = h('nav', { class: 'lesson-list', 'aria-label': strings.lessonsLabel });
    this.detail = h('section', { class: 'lesson-detail', 'aria-live': 'polite' });
    this.element = h('div', { class: 'lessons' }, this.nav, this.detail);
  }

  /** The full list (on init and when the host's progress changes). */
  setLessons(lessons: LessonView[], progress: LessonProgress, run: LessonRunView | undefined, select?: string): void {
    this.lessons = lessons;
    this.progress = progress;
    this.run = run ?? this.run;
    this.selected = select ?? this.selected ?? run?.lesson ?? lessons[0]?.id;
    this.render();
  }

  setRun(run: LessonRunView, progress: LessonProgress): void {
    this.run = run;
    this.progress = progress;
    this.render();
  }

  select(lesson: string): void {
    if (this.lessons.some((l) => l.id === lesson) || this.lessons.length === 0) {
      this.selected = lesson;
      this.onSelect(lesson);
      this.render();
    }
  }

  /** The lesson shown and its steps' statuses, for the host's probe. */
  probe(): { id: string; statuses: string[] } | undefined {
    const lesson = this.lessons.find((l) => l.id === this.selected);
    if (!lesson) {
      return undefined;
    }
    const run = this.run?.lesson === lesson.id ? this.run : undefined;
    return { id: lesson.id, statuses: lesson.steps.map((_, i) => run?.steps[i]?.status ?? 'pending') };
  }

  private render(): void {
    this.nav.replaceChildren(...this.lessons.map((lesson) => {
      const done = this.progress[lesson.id]?.done.length ?? 0;
      const button = h('button', {
        type: 'button', class: `lesson-item${lesson.id === this.selected ? ' selected' : ''}`, 'data-lesson': lesson.id,
        'aria-current': lesson.id === this.selected ? 'true' : undefined,
      }, h('span', { class: 'lesson-title' }, lesson.title),
      h('span', { class: 'lesson-progress' }, fill(this.strings.lessonProgress, { done, total: lesson.steps.length })));
      button.addEventListener('click', () => this.select(lesson.id));
      return button;
    }));
    const lesson = this.lessons.find((l) => l.id === this.selected);
    if (!lesson) {
      this.detail.replaceChildren();
      return;
    }
    const run = this.run?.lesson === lesson.id ? this.run : undefined;
    const busy = this.run?.running === true;
    const header: HTMLElement[] = [h('h2', {}, lesson.title), h('p', { class: 'lesson-summary' }, lesson.summary)];
    if (run?.runtime) {
      header.push(h('p', { class: 'lesson-runtime' }, fill(this.strings.lessonRuntime, { runtime: run.runtime, ports: (run.ports ?? []).join(', ') })));
    }
    const controls = h('div', { class: 'lesson-controls' });
    if (run?.running) {
      controls.append(this.button(this.strings.lessonStop, 'lesson-stop', () => this.post({ type: 'lessonStop' })));
    } else if (run) {
      controls.append(this.button(this.strings.lessonReplay, 'lesson-replay', () => this.post({ type: 'lessonReset', lesson: lesson.id })));
    }
    const steps = h('ol', { class: 'lesson-steps' }, ...lesson.steps.map((step, i) => {
      const state = run?.steps[i] ?? { status: 'pending' as const, verdicts: [] };
      const enabled = busy ? run?.running === true && run.next === i : i === 0;
      const action = this.button(fill(this.strings.lessonRunStep, { n: i + 1 }), `lesson-do${enabled ? ' primary' : ''}`,
        () => this.post({ type: 'lessonStep', lesson: lesson.id, step: i }));
      action.disabled = !enabled;
      const doneBefore = this.progress[lesson.id]?.done.includes(i) && state.status === 'pending';
      const item = h('li', { class: `lesson-step status-${state.status}`, 'data-step': i, 'data-status': state.status },
        h('div', { class: 'lesson-step-head' },
          h('span', { class: 'lesson-mark', 'aria-hidden': 'true' }, MARKS[state.status]),
          h('strong', {}, step.title),
          h('span', { class: 'lesson-status' }, this.statusText(state.status, doneBefore === true))),
        h('div', { class: 'lesson-actions', hidden: step.actions.length === 0 }, h('span', { class: 'muted' }, `${this.strings.lessonDo}: `), step.actions.join('; ')),
        action);
      if (state.verdicts.length > 0) {
        item.append(h('table', { class: 'verdicts' },
          h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, this.strings.lessonExpected), h('th', {}, this.strings.lessonObserved))),
          h('tbody', {}, ...state.verdicts.map((v) => h('tr', { class: v.ok ? 'ok' : 'bad', 'data-ok': String(v.ok) },
            h('td', { class: 'verdict-mark', 'aria-label': v.ok ? this.strings.lessonPassed : this.strings.lessonFailed }, v.ok ? '\u2713' : '\u2717'),
            h('td', {}, v.expected), h('td', {}, v.observed))))));
      }
      if (state.note) {
        item.append(h('p', { class: 'lesson-note' }, state.note));
      }
      if (state.status !== 'pending' && state.status !== 'waiting') {
        item.append(h('p', { class: 'lesson-why' }, h('span', { class: 'muted' }, `${this.strings.lessonWhy}: `), step.explain));
      }
      return item;
    }));
    const footer: HTMLElement[] = [];
    if (run && !run.running && run.passed !== undefined) {
      footer.push(h('p', { class: `lesson-result ${run.passed ? 'ok' : 'bad'}` }, run.passed ? this.strings.lessonFinishedOk : this.strings.lessonFinishedBad));
    }
    if (run?.error) {
      footer.push(h('p', { class: 'lesson-result bad' }, fill(this.strings.lessonStopped, { error: run.error })));
    }
    this.detail.replaceChildren(...header, controls, steps, ...footer);
  }

  private statusText(status: LessonStepRun['status'], doneBefore: boolean): string {
    switch (status) {
      case 'passed':
        return this.strings.lessonPassed;
      case 'failed':
        return this.strings.lessonFailed;
      case 'skipped':
        return this.strings.lessonSkipped;
      case 'running':
        return this.strings.lessonRunning;
      case 'waiting':
      case 'pending':
        return doneBefore ? this.strings.lessonDone : this.strings.lessonPending;
    }
  }

  private button(label: string, cls: string, action: () => void): HTMLButtonElement {
    const b = h('button', { type: 'button', class: cls }, label);
    b.addEventListener('click', action);
    return b;
  }
}
