import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import { chromium, type Browser, type Page } from 'playwright-core';
import { KafkaProbe, Stack, portalSubmission, statusReport, testKafka, waitFor } from '@poststelle/testing';

const TENANT = '120540000000';
const PARKING = '99050012104000';
const PERMITS = '99050012104001';
const UNROUTED = '99001001000000';
const MAILBOX = 'konsole@stadt.example';
const SCREENSHOTS = resolve(__dirname, '../../test-output/console-screenshots');
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
}

/**
 * The operator console in Debian's Chromium (playwright-core), against one stack with the console: people sign in
 * through the real provider's login form; every page visited is checked with axe-core (WCAG 2.1 A/AA) and
 * photographed into test-output/console-screenshots.
 */
describe('operator console in the browser', () => {
  let stack: Stack;
  let browser: Browser;
  let probe: KafkaProbe;
  const pages: Page[] = [];
  const consoleUrl = () => stack.consoleUrl;

  /** Signs a demo person in through the console: console → provider login form → consent → back. */
  async function signIn(login: string, path = '/'): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${consoleUrl()}${path}`);
    expect(page.url().startsWith(stack.oidc.issuer)).toBe(true);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForLoadState();
    if (page.url().startsWith(stack.oidc.issuer)) await page.click('button[type="submit"]'); // consent
    await page.waitForURL((url) => url.href.startsWith(consoleUrl()));
    return page;
  }

  /** axe-core on the page as it is: no WCAG 2.0/2.1 A or AA violation; then a screenshot. */
  async function check(page: Page, name: string): Promise<void> {
    await page.addScriptTag({ path: AXE });
    // Evaluated in the page (a string: this file is compiled without the DOM library).
    const result = await page.evaluate<AxeResult>(
      `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
    );
    expect({
      page: name,
      violations: result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    }).toEqual({
      page: name,
      violations: [],
    });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await keyboardReachesEveryControl(page, name);
  }

  /**
   * Keyboard alone: from the top of the page, Tab reaches every visible control (link, button, field; a radio group
   * once) and each shows where the focus is (an outline or a shadow while focused).
   */
  async function keyboardReachesEveryControl(page: Page, name: string): Promise<void> {
    // Evaluated in the page (strings: this file is compiled without the DOM library).
    const controls = await page.evaluate<string[]>(`(() => {
      const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')]
        .filter((e) => !e.disabled && e.getClientRects().length > 0);
      const label = (e) => e.tagName.toLowerCase() + (e.name ? '[name=' + e.name + ']' : '') + (e.type ? '[type=' + e.type + ']' : '') + ' ' + (e.textContent || '').trim().slice(0, 30);
      all.forEach((e, i) => e.setAttribute('data-kbd', e.type === 'radio' ? 'radio group ' + e.name : i + ': ' + label(e)));
      return [...new Set(all.map((e) => e.getAttribute('data-kbd')))];
    })()`);
    await page.evaluate(`document.activeElement && document.activeElement.blur && document.activeElement.blur()`);
    const reached = new Set<string>();
    const unmarked = new Set<string>();
    // A date or time field takes one Tab per part (day, month, year, ...): up to six per control.
    for (let i = 0; i < controls.length * 6 + 3 && reached.size < controls.length; i += 1) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate<{ id: string | null; marked: boolean }>(`(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return { id: null, marked: false };
        const s = getComputedStyle(e);
        return { id: e.getAttribute('data-kbd'), marked: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' };
      })()`);
      if (focused.id === null) continue;
      reached.add(focused.id);
      if (!focused.marked) unmarked.add(focused.id);
    }
    expect({ page: name, notReachedByTab: controls.filter((c) => !reached.has(c)), focusNotVisible: [...unmarked] }).toEqual({
      page: name,
      notReachedByTab: [],
      focusNotVisible: [],
    });
  }

  /** Presses Tab until the focused element matches, then returns (keyboard only). */
  async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  const submit = async (leika: string) => {
    const r = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(portalSubmission({ publicServiceType: { identifier: `urn:de:fim:leika:leistung:${leika}`, name: 'Test' } })),
    });
    expect(r.status).toBe(202);
    return r.body.caseId;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await new Stack({ console: true }).start();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    await stack.seedRoute({ procedureId: 'console-parking', tenantArs: TENANT, leikaKey: PARKING, arsPrefix: '12054' });
    await stack.seedRoute({ procedureId: 'console-permits', tenantArs: TENANT, leikaKey: PERMITS, arsPrefix: '12054' });
    const mailbox = await stack.json('intake', `/v1/admin/mailboxes/${encodeURIComponent(MAILBOX)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantArs: TENANT, leikaKey: PARKING, name: 'Parken' }),
    });
    expect(mailbox.status).toBe(200);
    probe = await new KafkaProbe().start([stack.topic('procedure.console-parking.cases.v1')]);
  }, 240000);

  afterAll(async () => {
    for (const p of pages)
      await p
        .context()
        .close()
        .catch(() => undefined);
    await browser?.close();
    await probe?.stop();
    await stack?.stop();
  }, 60000);

  it('a Potsdam caseworker finds an emailed case by its reference and sees its timeline; another tenant finds nothing', async () => {
    const mail = await new MailComposer({
      from: 'erika@example.org',
      to: MAILBOX,
      subject: 'Antrag Bewohnerparkausweis',
      text: 'Sehr geehrte Damen und Herren, anbei mein Antrag.',
    })
      .compile()
      .build();
    const sent = await stack.json<{ caseId: string; caseReference: string }>('intake', '/v1/email', {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: mail,
    });
    expect(sent.status).toBe(202);
    const { caseId, caseReference } = sent.body;
    await waitFor(
      'the emailed case routed',
      async () => (await stack.json<{ status: string }>('intake', `/v1/cases/${caseId}`)).body.status === 'routed',
    );

    const clerk = await signIn('clerk-potsdam', '/cases');
    expect(new URL(clerk.url()).pathname).toBe('/cases');
    expect(await clerk.getAttribute('html', 'lang')).toBe('de');
    await check(clerk, 'cases-search');
    await clerk.fill('#f-reference', caseReference);
    await clerk.click('form[role="search"] button[type="submit"]');
    const link = clerk.locator('table a', { hasText: caseReference });
    await expect(link.count()).resolves.toBe(1);
    await check(clerk, 'cases-results');
    await link.click();
    await clerk.waitForURL(`**/cases/${caseId}`);
    const timeline = await clerk.locator('ol.timeline').innerText();
    expect(timeline).toMatch(/Eingegangen \(email\)/);
    expect(timeline).toMatch(/Zugeordnet: Verfahren console-parking/);
    expect(await clerk.locator('a[href$="/original/email"]').count()).toBe(1);
    await check(clerk, 'case');

    const other = await signIn('clerk-other', `/cases?reference=${encodeURIComponent(caseReference)}`);
    expect(await other.locator('table').count()).toBe(0);
    expect(await other.locator('main').innerText()).toContain('keine Einträge');
    const direct = await other.goto(`${consoleUrl()}/cases/${caseId}`);
    expect(direct?.status()).toBe(404);
  }, 120000);

  it('a case in manual routing is assigned to a procedure by keyboard alone, reaches its topic, and a dead letter it caused is replayed once and audited', async () => {
    const caseId = await submit(UNROUTED);
    await waitFor('the case in manual routing', async () => {
      const r = await stack.json<{ caseId: string }[]>('routing', '/v1/manual-routing');
      return r.body.some((i) => i.caseId === caseId);
    });
    // The back office reports on the case before it is routed: a dead letter (fixable: route the case, then replay).
    const producer = testKafka().producer();
    await producer.connect();
    const report = statusReport({ caseId, procedureId: 'console-parking', tenant: TENANT });
    await producer.send({
      topic: stack.topic('procedure.console-parking.status.v1'),
      messages: [{ key: caseId, value: JSON.stringify(report) }],
    });
    await producer.disconnect();
    const dead = await waitFor('the dead letter', async () => {
      const r = await stack.json<{ items: { id: string }[] }>('routing', '/v1/ops/dead-letters?state=open&type=case.status-changed');
      return r.body.items[0];
    });

    // Keyboard only: Tab to the case's procedure field, type, Enter; on the confirmation page Tab to confirm, Enter.
    const clerk = await signIn('clerk-potsdam', '/queues/manual-routing');
    await check(clerk, 'manual-routing');
    await tabTo(clerk, `input[aria-label], input#f-procedureId`);
    const label = await clerk.evaluate<string>(`document.activeElement?.closest('form')?.getAttribute('action') ?? ''`);
    expect(label).toMatch(/\/queues\/manual-routing\/[0-9a-f-]+\/assign$/);
    await clerk.keyboard.type('console-parking');
    await clerk.keyboard.press('Enter');
    await clerk.waitForURL('**/assign?procedureId=console-parking');
    await check(clerk, 'manual-routing-confirm');
    await tabTo(clerk, 'main button[type="submit"]');
    await clerk.keyboard.press('Enter');
    await clerk.waitForURL('**/queues/manual-routing?done=assigned');
    expect(await clerk.locator('[role="status"]').first().innerText()).toContain('zugeordnet');
    await probe.waitForCount((m) => m.topic === stack.topic('procedure.console-parking.cases.v1') && m.key === caseId, 1);

    // A platform admin replays the dead letter from the console, after confirming.
    const admin = await signIn('platform-admin', '/repair?service=routing');
    await check(admin, 'repair');
    await admin.click(`a[href="/repair/routing/dead-letters/${dead.id}"]`);
    expect(await admin.locator('main').innerText()).toContain(caseId);
    await check(admin, 'dead-letter');
    await admin.click(`a[href="/repair/routing/dead-letters/${dead.id}/replay"]`);
    await check(admin, 'dead-letter-confirm');
    await admin.fill('#f-reason', 'Vorgang wurde zugeordnet');
    await admin.click('main button[type="submit"]');
    await admin.waitForURL('**/repair?service=routing&done=1');
    const history = async () =>
      (await stack.json<{ history: { status: string }[] }>('routing', `/v1/cases/${caseId}/status`, { as: 'platform-admin' })).body.history;
    await waitFor('the replayed report applied', async () => (await history()).some((h) => h.status === 'PROCESSING'));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await history()).filter((h) => h.status === 'PROCESSING')).toHaveLength(1);
    await admin.goto(`${consoleUrl()}/audit`);
    const audit = await admin.locator('table').first().innerText();
    expect(audit).toMatch(/platform-admin\s+dead-letter\.replayed\s+routing/);
    expect(audit).toContain('Vorgang wurde zugeordnet');
    await check(admin, 'audit');
    await admin.goto(`${consoleUrl()}/system`);
    expect(await admin.locator('table').innerText()).toMatch(/routing/);
    await check(admin, 'health');
  }, 180000);

  it('a tenant admin changes a routing rule and the tester shows the new answer; a caseworker sees no administration', async () => {
    const admin = await signIn('admin-potsdam', '/admin/rules/test');
    const test = async () => {
      await admin.goto(`${consoleUrl()}/admin/rules/test?leikaKey=${PERMITS}&ars=${TENANT}`);
      return admin.locator('section[aria-labelledby="answer"]').innerText();
    };
    expect(await test()).toContain('console-permits');
    await check(admin, 'admin-tester');
    await admin.goto(`${consoleUrl()}/admin/rules`);
    await check(admin, 'admin-rules');
    const change = await admin.locator('a.button', { hasText: /ändern/ }).all();
    const hrefs = await Promise.all(change.map(async (a) => (await a.getAttribute('href')) ?? ''));
    const permitsRule = hrefs.find((h) => h.includes(`leikaKey=${PERMITS}`));
    expect(permitsRule).toBeDefined();
    await admin.goto(`${consoleUrl()}${permitsRule!}`);
    await admin.fill('#f-procedureId', 'console-parking');
    await check(admin, 'admin-rule-change');
    await admin.click('main button[type="submit"]');
    await admin.waitForURL('**/admin/rules?done=1**');
    expect(await test()).toContain('console-parking');
    expect(await admin.locator('nav.main').innerText()).not.toMatch(/Vorgänge|Reparatur/);

    const clerk = await signIn('clerk-potsdam', '/');
    expect(await clerk.locator('nav.main').innerText()).not.toContain('Verwaltung');
    const forbidden = await clerk.goto(`${consoleUrl()}/admin/rules`);
    expect(forbidden?.status()).toBe(403);
    const forbiddenPost = await clerk.request.post(`${consoleUrl()}/admin/rules/x/change`, {
      form: { procedureId: 'console-parking' },
      maxRedirects: 0,
    });
    expect(forbiddenPost.status()).toBe(403);
  }, 120000);

  it('switches to English, refuses a form without the session token, and signs out', async () => {
    const clerk = await signIn('clerk-potsdam', '/queues');
    await check(clerk, 'queues');
    await clerk.click('a[hreflang="en"]');
    expect(await clerk.getAttribute('html', 'lang')).toBe('en');
    expect(await clerk.locator('h1').innerText()).toBe('Queues');
    const item = randomUUID();
    const forged = await clerk.request.post(`${consoleUrl()}/queues/manual-routing/${item}/assign`, {
      form: { procedureId: 'console-parking' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    await clerk.click('header form button[type="submit"]');
    await clerk.waitForLoadState();
    const again = await clerk.request.get(`${consoleUrl()}/cases`, { maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(again.headers()['location']).toMatch(/^\/sign-in/);
  }, 60000);
});
