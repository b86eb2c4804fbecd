import { join } from 'node:path';
import { setTranslator } from '../l10n';
import { bundleTranslator, pickLocale } from './locale';

// Imported first by cli.ts, so every module translates from the moment it loads.
// dist/cli.js -> ../l10n, the same bundles the extension ships.
setTranslator(bundleTranslator(join(__dirname, '..', 'l10n'), pickLocale(process.env)));
