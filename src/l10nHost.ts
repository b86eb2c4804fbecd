import * as vscode from 'vscode';
import { setTranslator } from './l10n';

// Imported first by extension.ts, so shared modules translate through VS Code from the moment
// they load (vscode.l10n is ready before the extension's module is evaluated).
setTranslator((message, args) => vscode.l10n.t(message, args));
