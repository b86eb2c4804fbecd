/**
 * One translator for code shared by the extension host and the CLI.
 *
 * Pure modules cannot import `vscode`, yet their sentences reach users. They call
 * `l10n.t(...)` from here; the host installs `vscode.l10n.t` at activation and the CLI
 * installs a bundle reader, so every string has one path to a translation.
 */
export type Translator = (message: string, args: Record<string, string | number>) => string;

/** Fills `{name}` placeholders; used until a real translator is installed. */
export function format(message: string, args: Record<string, string | number> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole);
}

let current: Translator = format;

export const l10n = {
  /** Translates `message` and fills its `{name}` placeholders from `args`. */
  t(message: string, args: Record<string, string | number> = {}): string {
    return current(message, args);
  },
};

/** Installs the translator for this process (host: vscode.l10n.t; CLI: its bundle). */
export function setTranslator(translator: Translator): void {
  current = translator;
}
