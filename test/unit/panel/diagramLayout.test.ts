// The state diagram's edge labels, measured as Chromium renders them (built bundle), in English
// and in Simplified Chinese: a label that hides another, or sits on a state, cannot be read.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { format, setTranslator } from '../../../src/l10n';
import type { ToView } from '../../../src/protocol';
import type { SocketRow } from '../../../src/sockets/types';
import { ROOT, bundleBuilt, closeBrowser, init, openView } from './browser';

interface Box { id: string; x: number; y: number; width: number; height: number }

/** The init message in `locale`, strings read from the shipped bundle the way the host would. */
function initIn(locale: 'en' | 'zh-cn'): ToView {
  if (locale === 'en') {
    return init();
  }
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string | { message: string }>;
  setTranslator((message, args) => {
    const entry = bundle[message];
    return format(typeof entry === 'string' ? entry : entry?.message ?? message, args);
  });
  try {
    return init();
  } finally {
    setTranslator(format);
  }
}

/** Boxes of the live diagram's edge labels and states, in SVG user units, and its viewBox. */
async function measure(page: import('playwright-core').Page): Promise<{ labels: Box[]; nodes: Box[]; view: Box }> {
  return page.evaluate(() => {
    const svg = document.querySelector<SVGSVGElement>('.live svg.diagram')!;
    const box = (id: string, b: DOMRect | SVGRect) => ({ id, x: b.x, y: b.y, width: b.width, height: b.height });
    const vb = svg.viewBox.baseVal;
    return {
      labels: Array.from(svg.querySelectorAll<SVGTextElement>('text.edge-label'), (t) => box(t.dataset.edge ?? '', t.getBBox())),
      nodes: Array.from(svg.querySelectorAll<SVGGElement>('g.node'), (g) => box(g.dataset.state ?? '', g.querySelector('rect')!.getBBox())),
      view: box('viewBox', vb),
    };
  });
}

/** True when a CJK glyph renders a full em wide, as it does in every CJK font. */
async function hasCjkFont(page: import('playwright-core').Page): Promise<boolean> {
  return page.evaluate(() => {
    const label = document.querySelector<SVGTextElement>('.live svg.diagram text.edge-label')!;
    const probe = label.cloneNode(false) as SVGTextElement;
    probe.textContent = '\u4e2d\u6587';
    label.parentNode!.append(probe);
    const em = parseFloat(getComputedStyle(probe).fontSize);
    const wide = probe.getComputedTextLength() >= 1.9 * em;
    probe.remove();
    return wide;
  });
}

/** True when the boxes share more than a hairline (the labels' halo covers 2 units). */
function intersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('state diagram edge labels in Chromium (built bundle)', { skip: !bundleBuilt() && 'dist/webview is not built' }, () => {
  after(async () => {
    await closeBrowser();
  });

  for (const locale of ['en', 'zh-cn'] as const) {
    it(`${locale}: no label overlaps another label or a state, and every label is inside the viewBox`, async (t) => {
      const view = await openView({ width: 1400, height: 900 });
      try {
        await view.send(initIn(locale));
        await view.frame();
        const shot = process.env.SOCKET_LIFECYCLE_DIAGRAM_SHOT;
        if (shot) {
          // A look at the drawing: SOCKET_LIFECYCLE_DIAGRAM_SHOT=/tmp/diagram writes /tmp/diagram-<locale>.png.
          await view.page.locator('.live svg.diagram').screenshot({ path: `${shot}-${locale}.png` });
        }
        if (locale !== 'en' && !(await hasCjkFont(view.page))) {
          t.diagnostic('no CJK font installed (e.g. apt-get install fonts-wqy-microhei): Chinese glyphs are measured as narrower fallback boxes');
        }
        const { labels, nodes, view: vb } = await measure(view.page);
        assert.ok(labels.length >= 20, `${labels.length} edge labels drawn`);
        const problems: string[] = [];
        const show = (b: Box) => `${b.id} [${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}]`;
        labels.forEach((a, i) => {
          for (const b of labels.slice(i + 1)) {
            if (intersect(a, b)) {
              problems.push(`label ${show(a)} overlaps label ${show(b)}`);
            }
          }
          for (const n of nodes) {
            if (intersect(a, n)) {
              problems.push(`label ${show(a)} overlaps state ${show(n)}`);
            }
          }
          if (a.x < vb.x || a.y < vb.y || a.x + a.width > vb.x + vb.width || a.y + a.height > vb.y + vb.height) {
            problems.push(`label ${show(a)} leaves the viewBox ${show(vb)}`);
          }
        });
        assert.deepEqual(problems, []);
      } finally {
        await view.close();
      }
    });
  }
});

describe('live tab layout in Chromium (built bundle)', { skip: !bundleBuilt() && 'dist/webview is not built' }, () => {
  after(async () => {
    await closeBrowser();
  });

  // Long IPv6 addresses and process names: the widest rows the table meets.
  const rows: SocketRow[] = [7865, 50000, 50001, 50002].map((port, i) => ({
    family: 'inet6', local: { address: 'fd00:1234:5678:9abc:def0:1234:5678:9abc', port },
    remote: { address: 'fd00:1234:5678:9abc:def0:1234:5678:9abd', port: i === 0 ? 0 : 7865 }, state: i === 0 ? 'LISTEN' : 'ESTABLISHED',
    timer: i === 3 ? { kind: 'keepalive', seconds: 7199.5 } : null, retransmits: 0, probes: 0, rxQueue: 123456, txQueue: 654321,
    inode: 1000 + i, pid: 4242 + i, process: 'python3 echo_server_with_a_long_name.py',
  }));

  for (const width of [1100, 1300, 1500]) {
    it(`${width} px wide: the table never overlaps the diagram`, async () => {
      const view = await openView({ width, height: 900 });
      try {
        await view.send(initIn('zh-cn'));
        await view.send({ type: 'update', at: Date.now(), rows, entries: [] });
        await view.frame();
        const [diagram, table] = await Promise.all([view.page.locator('.live .diagram-wrap').boundingBox(), view.page.locator('.live .table-wrap').boundingBox()]);
        assert.ok(diagram && table && diagram.width > 300 && table.width > 300, `both drawn: ${JSON.stringify({ diagram, table })}`);
        const shot = process.env.SOCKET_LIFECYCLE_DIAGRAM_SHOT;
        if (shot) {
          await view.page.screenshot({ path: `${shot}-live-${width}.png`, fullPage: true });
        }
        const box = (b: NonNullable<typeof diagram>, id: string): Box => ({ id, ...b });
        assert.equal(intersect(box(diagram, 'diagram'), box(table, 'table')), false, `diagram ${JSON.stringify(diagram)} and table ${JSON.stringify(table)} overlap`);
        assert.ok(await view.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
      } finally {
        await view.close();
      }
    });
  }
});
