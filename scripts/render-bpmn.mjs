// Renders every BPMN model in bpmn/ to docs/processes/<file>.png with bpmn-js's own viewer, as Camunda Modeler
// lays it out (the models carry full diagram interchange). Uses the system Chromium; nothing is downloaded.
//   npm run render:bpmn            (CHROMIUM=/path/to/chromium to use another browser)
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('bpmn-js/dist/bpmn-viewer.production.min.js'));
const out = join(root, 'docs', 'processes');
const models = readdirSync(join(root, 'bpmn')).filter((name) => name.endsWith('.bpmn')).sort();
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1.5, viewport: { width: 1600, height: 1000 } });
  for (const model of models) {
    await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"><div id="canvas"></div></body></html>');
    await page.addStyleTag({ path: join(dist, 'assets', 'diagram-js.css') });
    await page.addStyleTag({ path: join(dist, 'assets', 'bpmn-js.css') });
    await page.addScriptTag({ path: join(dist, 'bpmn-viewer.production.min.js') });
    // the viewer lays the model out; its SVG export is cut to the diagram's bounds
    const svg = await page.evaluate(async (xml) => {
      const viewer = new BpmnJS({ container: '#canvas' });
      const { warnings } = await viewer.importXML(xml);
      if (warnings.length) {
        throw new Error(warnings.map((w) => w.message).join('\n'));
      }
      return (await viewer.saveSVG()).svg;
    }, readFileSync(join(root, 'bpmn', model), 'utf8'));
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">
      <div id="diagram" style="display:inline-block;padding:16px;background:#fff">${svg}</div></body></html>`);
    const file = join(out, basename(model, '.bpmn') + '.png');
    await page.locator('#diagram').screenshot({ path: file });
    console.log(`rendered ${model} -> ${file.slice(root.length + 1)}`);
  }
} finally {
  await browser.close();
}
