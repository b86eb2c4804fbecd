import { l10n } from '../l10n';

/**
 * Reads a list of TCP ports as a user types it ("7865, 8080 9000"): separated by commas or
 * spaces, each 1-65535, duplicates dropped. Returns the ports or a message saying what is wrong.
 */
export function parsePorts(text: string): { ports: number[] } | { error: string } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) {
    return { error: l10n.t('Enter at least one port, e.g. 7865 or 7865, 8080.') };
  }
  const ports: number[] = [];
  for (const part of parts) {
    const port = /^\d{1,5}$/.test(part) ? Number(part) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      return { error: l10n.t('\'{part}\' is not a port: use whole numbers from 1 to 65535.', { part }) };
    }
    if (!ports.includes(port)) {
      ports.push(port);
    }
  }
  return { ports };
}
