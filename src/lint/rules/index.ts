import type { Rule } from '../rule';
import type { RuleId } from '../types';
import { lingerAbortive } from './linger-abortive';
import { missingReuseaddr } from './missing-reuseaddr';
import { readErrorAsData } from './read-error-as-data';
import { reuseaddrAfterBind } from './reuseaddr-after-bind';
import { shutdownWithoutClose } from './shutdown-without-close';
import { socketLeak } from './socket-leak';
import { winsockReuseaddrHijack } from './winsock-reuseaddr-hijack';

/** Every rule, in the order LINT-RULES.md lists them. */
export const RULES: readonly Rule[] = [
  missingReuseaddr, reuseaddrAfterBind, socketLeak, readErrorAsData, lingerAbortive, winsockReuseaddrHijack, shutdownWithoutClose,
];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
