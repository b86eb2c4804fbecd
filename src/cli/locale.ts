import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, type Translator } from '../l10n';

/**
 * The CLI's language: SOCKET_LIFECYCLE_LANG, then the POSIX locale variables in their order of
 * precedence. Returns a VS Code locale id such as 'zh-cn', or undefined for English.
 */
export function pickLocale(env: NodeJS.ProcessEnv): string | undefined {
  const raw = [env.SOCKET_LIFECYCLE_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG, env.LANGUAGE?.split(':')[0]]
    .find((v) => v !== undefined && v !== '');
  if (!raw || /^(C|POSIX)(\.|$)/.test(raw)) {
    return undefined;
  }
  const tag = raw.split('.')[0].replace('_', '-').toLowerCase();
  return tag.startsWith('zh') ? 'zh-cn' : undefined;
}

/** A translator over `l10n/bundle.l10n.<locale>.json`; missing bundle or key falls back to English. */
export function bundleTranslator(l10nDir: string, locale: string | undefined): Translator {
  let bundle: Record<string, string | { message: string }> = {};
  if (locale) {
    try {
      bundle = JSON.parse(readFileSync(join(l10nDir, `bundle.l10n.${locale}.json`), 'utf8'));
    } catch {
      // No translation shipped for this locale: English it is.
    }
  }
  return (message, args) => {
    const entry = bundle[message];
    const text = typeof entry === 'string' ? entry : entry?.message ?? message;
    return format(text, args);
  };
}
