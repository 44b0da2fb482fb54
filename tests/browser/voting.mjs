// Headless Chromium as two phones (390x844) against the real voting server:
// join with the code, vote, change the vote, read the revealed distribution;
// axe-core on the phone page; screenshots. Driven by tests/voting_browser.rs,
// which starts the server and checks the room's counts afterwards.
// Usage: node tests/browser/voting.mjs PHONE_URL CODE TRAINER_BASE TRAINER_KEY SHOTS_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [phoneUrl, code, trainerBase, trainerKey, shots] = process.argv.slice(2);
const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const out = { cspViolations: [], consoleErrors: [] };

async function trainer(method, action) {
  const r = await fetch(`${trainerBase}/trainer/api/${action}`, {
    method, headers: { Authorization: `Bearer ${trainerKey}` },
  });
  if (!r.ok) throw new Error(`trainer ${action}: ${r.status}`);
  return r.json();
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(() => axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }).then(r => r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`)));
}

async function phone(browser, name, url, noEventSource) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'it-IT' });
  // A browser without EventSource: the page must fall back to polling.
  if (noEventSource) await context.addInitScript(() => { window.EventSource = undefined; });
  const page = await context.newPage();
  page.on('console', m => {
    const t = m.text();
    if (/Content Security Policy/i.test(t)) out.cspViolations.push(`${name}: ${t}`);
    else if (m.type() === 'error') out.consoleErrors.push(`${name}: ${t}`);
  });
  await page.goto(url);
  return page;
}

async function chooseAndSend(page, label) {
  await page.getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: 'Invia la risposta' }).click();
  await page.waitForFunction(l => document.getElementById('status').textContent.indexOf('Hai risposto: ' + l) === 0, label);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
try {
  const a = await phone(browser, 'A', phoneUrl);
  // The join screen, checked and looked at.
  out.axeJoin = await axe(a);
  await a.screenshot({ path: join(shots, 'voting-phone-join.png') });
  // A wrong code first: refused, said in words.
  await a.getByLabel('Codice della sessione').fill('AAAAAA');
  await a.getByRole('button', { name: 'Entra' }).click();
  await a.waitForFunction(() => document.getElementById('alert').textContent.length > 0);
  out.wrongCodeMessage = await a.textContent('#alert');
  // The one expected console error: the refused wrong code (403).
  out.consoleErrors = out.consoleErrors.filter(e => !/status of 403/.test(e));
  await a.getByLabel('Codice della sessione').fill(code.toLowerCase());
  await a.getByRole('button', { name: 'Entra' }).click();
  await a.waitForSelector('#question:not([hidden])');
  out.titleA = await a.textContent('#q-title');
  out.progressA = await a.textContent('#q-progress');
  const options = await a.$$eval('#options label span', els => els.map(e => e.textContent));
  out.options = options;
  await chooseAndSend(a, options[0]);
  await chooseAndSend(a, options[2]);
  out.statusA = await a.textContent('#status');
  out.axeQuestion = await axe(a);
  await a.screenshot({ path: join(shots, 'voting-phone-voted.png') });

  // Phone B joins through the QR's address (code in the fragment).
  const b = await phone(browser, 'B', `${phoneUrl}/#${code}`);
  await b.waitForSelector('#question:not([hidden])');
  await chooseAndSend(b, options[1]);
  // Phone C has no EventSource: it polls.
  const c = await phone(browser, 'C', `${phoneUrl}/#${code}`, true);
  await c.waitForSelector('#question:not([hidden])');
  out.cHasEventSource = await c.evaluate(() => typeof window.EventSource === 'function');

  const before = await trainer('GET', 'state');
  out.trainerBefore = { voted: before.view.voted, joined: before.view.joined, counts: before.view.question.counts };

  await trainer('POST', 'close');
  await a.waitForFunction(() => document.getElementById('send').hidden);
  out.closedStatusA = await a.textContent('#status');
  const revealed = await trainer('POST', 'reveal');
  out.trainerRevealed = revealed.view.question.counts;
  await a.waitForSelector('#results:not([hidden])');
  out.barsA = await a.$$eval('#bars .bar-label', els => els.map(e => e.textContent));
  out.axeRevealed = await axe(a);
  await a.screenshot({ path: join(shots, 'voting-phone-revealed.png'), fullPage: true });

  // The trainer moves on: both phones follow by themselves.
  await trainer('POST', 'next');
  await a.waitForFunction(() => document.getElementById('q-progress').textContent.indexOf('Domanda 2 ') === 0);
  await b.waitForFunction(() => document.getElementById('q-progress').textContent.indexOf('Domanda 2 ') === 0);
  await c.waitForFunction(() => document.getElementById('q-progress').textContent.indexOf('Domanda 2 ') === 0, null, { timeout: 10000 });
  out.pollingFollowed = true;
  out.progressAfterNext = await b.textContent('#q-progress');

  // The trainer page (command line face), looked at too.
  const t = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await t.goto(`${trainerBase}/trainer#${trainerKey}`);
  await t.waitForFunction(() => document.getElementById('voted').textContent.length > 0);
  await t.waitForFunction(() => (document.getElementById('qr').getAttribute('src') || '').indexOf('data:image/svg') === 0);
  out.axeTrainer = await axe(t);
  await t.screenshot({ path: join(shots, 'voting-trainer.png'), fullPage: true });
} catch (e) {
  for (const p of browser.contexts().flatMap(c => c.pages())) {
    try {
      console.error('page', p.url(), 'alert:', await p.textContent('#alert'), 'status:', await p.textContent('#status'));
    } catch (_) { /* closed */ }
  }
  console.error('console:', JSON.stringify(out));
  throw e;
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
