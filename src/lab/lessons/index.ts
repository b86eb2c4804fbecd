import { clientClosesFirstLesson } from './clientClosesFirst';
import { closeWaitLesson } from './closeWait';
import { halfCloseLesson } from './halfClose';
import { keepaliveLesson } from './keepalive';
import { lingerResetLesson } from './lingerReset';
import { timeWaitLesson } from './timeWait';
import type { LessonId, LessonScript } from './types';

/** Facts of this machine that lessons mention (read by the caller, e.g. tcp_fin_timeout). */
export interface LessonFacts {
  finTimeoutSeconds?: number;
}

/** Lesson ids in the order of DESIGN.md. */
export const LESSON_IDS: readonly LessonId[] = ['time-wait', 'client-closes-first', 'close-wait', 'linger-reset', 'keepalive', 'half-close'];

export function isLessonId(value: unknown): value is LessonId {
  return typeof value === 'string' && (LESSON_IDS as readonly string[]).includes(value);
}

/** Builds the script of one lesson in the current locale. */
export function lessonScript(id: LessonId, facts: LessonFacts = {}): LessonScript {
  switch (id) {
    case 'time-wait':
      return timeWaitLesson();
    case 'client-closes-first':
      return clientClosesFirstLesson();
    case 'close-wait':
      return closeWaitLesson(facts.finTimeoutSeconds);
    case 'linger-reset':
      return lingerResetLesson();
    case 'keepalive':
      return keepaliveLesson();
    case 'half-close':
      return halfCloseLesson();
  }
}
