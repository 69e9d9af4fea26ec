import { randomUUID } from 'node:crypto';
import { Stack, portalSubmission, waitFor, type DemoClient } from '@poststelle/testing';

const POTSDAM = '120540000000';
const OTHER = '010010000000'; // the tenant of operator-other
const PARKING = '99050012104000';
const UNROUTED = '99001001000000'; // no rule: the case waits for a clerk

const issuer = {
  name: 'Landeshauptstadt Potsdam, Stadtkasse',
  sellerIdentifier: '12054000-00001-51',
  postalCode: '14469',
  city: 'Potsdam',
  country: 'DE',
  electronicAddress: 'rechnungsausgang@potsdam.example',
  contactName: 'Stadtkasse',
  contactPhone: '+49 331 289-0',
  contactEmail: 'stadtkasse@potsdam.example',
  iban: 'DE75512108001245126199',
};

interface QueueItem {
  itemId: string;
  caseId: string;
}
interface AuditRecord {
  actor: string;
  clientId: string | null;
  tenantArs: string;
  action: string;
  entityId: string;
  oldValue: Record<string, unknown> | null;
  newValue: Record<string, unknown> | null;
}

/**
 * Issue 12, back office: a caseworker sees and works only its tenants' cases, a tenant admin changes only its tenants'
 * routing rules and invoice issuer, a caseworker changes no configuration, and every change names the token's subject.
 */
describe('tenant scope in routing and erechnung, audit by token subject', () => {
  let stack: Stack;
  let item: QueueItem;

  const call = <T>(service: 'routing' | 'erechnung' | 'payment', as: DemoClient, method: string, path: string, body?: unknown) =>
    stack.json<T>(service, path, {
      method,
      as,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    stack = await new Stack().start();
    // The platform admin sets up both tenants: a Potsdam procedure and rule, and one of the other tenant.
    await stack.seedRoute({ procedureId: 'parking-potsdam', tenantArs: POTSDAM, leikaKey: PARKING, arsPrefix: '12054' });
    expect(
      (await call('routing', 'platform-admin', 'PUT', '/v1/admin/procedures/parking-other', { tenantArs: OTHER, name: 'Parken' })).status,
    ).toBe(200);
    const other = await call('routing', 'platform-admin', 'POST', '/v1/admin/routing-rules', {
      ruleId: 'parking-other',
      leikaKey: PARKING,
      arsPrefix: '01001',
      procedureId: 'parking-other',
    });
    expect(other.status).toBe(201);

    const submitted = await stack.json<{ caseId: string }>('intake', '/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(
        portalSubmission({ publicServiceType: { identifier: `urn:de:fim:leika:leistung:${UNROUTED}`, name: 'Unbekannt' } }),
      ),
    });
    expect(submitted.status).toBe(202);
    item = await waitFor('the Potsdam case in the manual-routing queue', async () => {
      const r = await call<QueueItem[]>('routing', 'operator-potsdam', 'GET', '/v1/manual-routing');
      return r.body.find((i) => i.caseId === submitted.body.caseId);
    });
  }, 180000);

  afterAll(async () => {
    await stack?.stop();
  }, 60000);

  it('shows the Potsdam case to the Potsdam caseworker only: the other tenant gets an empty queue and 404s', async () => {
    expect((await call<QueueItem[]>('routing', 'operator-other', 'GET', '/v1/manual-routing')).body).toEqual([]);
    expect((await call('routing', 'operator-other', 'GET', `/v1/cases/${item.caseId}/routing`)).status).toBe(404);
    expect((await call('routing', 'operator-other', 'GET', `/v1/cases/${item.caseId}/status`)).status).toBe(404);
    const foreign = await call<{ status: number }>('routing', 'operator-other', 'POST', `/v1/manual-routing/${item.itemId}/resolve`, {
      procedureId: 'parking-other',
    });
    expect(foreign.status).toBe(404);

    const own = await call<{ outcome: string }>('routing', 'operator-potsdam', 'GET', `/v1/cases/${item.caseId}/routing`);
    expect([own.status, own.body.outcome]).toEqual([200, 'manual']);
    const resolved = await call<{ status: string }>('routing', 'operator-potsdam', 'POST', `/v1/manual-routing/${item.itemId}/resolve`, {
      procedureId: 'parking-potsdam',
    });
    expect([resolved.status, resolved.body.status]).toEqual([201, 'resolved']);
  }, 60000);

  it('lets the Potsdam admin change a Potsdam rule but not the other tenant’s, and see only its own rules', async () => {
    const rules = await call<{ ruleId: string; arsPrefix: string }[]>('routing', 'admin-potsdam', 'GET', '/v1/admin/routing-rules');
    expect(rules.body.map((r) => r.arsPrefix)).toEqual(['12054']);
    const own = await call<{ version: number }>('routing', 'admin-potsdam', 'PUT', `/v1/admin/routing-rules/${rules.body[0]!.ruleId}`, {
      leikaKey: PARKING,
      arsPrefix: '120540000000',
      procedureId: 'parking-potsdam',
    });
    expect([own.status, own.body.version]).toEqual([200, 2]);

    const foreignRule = await call('routing', 'admin-potsdam', 'PUT', '/v1/admin/routing-rules/parking-other', {
      leikaKey: PARKING,
      arsPrefix: '12054',
      procedureId: 'parking-potsdam',
    });
    expect(foreignRule.status).toBe(404);
    expect((await call('routing', 'admin-potsdam', 'DELETE', '/v1/admin/routing-rules/parking-other')).status).toBe(404);
    const foreignRegion = await call<{ status: number }>('routing', 'admin-potsdam', 'POST', '/v1/admin/routing-rules', {
      leikaKey: PARKING,
      arsPrefix: '01001',
      procedureId: 'parking-potsdam',
    });
    expect(foreignRegion.status).toBe(403);
    const procedures = await call<{ procedureId: string }[]>('routing', 'admin-potsdam', 'GET', '/v1/admin/procedures');
    expect(procedures.body.map((p) => p.procedureId)).toEqual(['parking-potsdam']);
  }, 60000);

  it('refuses a caseworker any change to rules, fees or invoice issuers (403)', async () => {
    const rule = { leikaKey: PARKING, arsPrefix: '12054', procedureId: 'parking-potsdam' };
    expect((await call('routing', 'operator-potsdam', 'POST', '/v1/admin/routing-rules', rule)).status).toBe(403);
    const fee = { amount: '30.50', policy: 'before-processing', bookingText: 'BEWOHNERPARKEN' };
    expect((await call('payment', 'operator-potsdam', 'PUT', `/v1/admin/fees/${PARKING}/12054`, fee)).status).toBe(403);
    expect((await call('erechnung', 'operator-potsdam', 'PUT', `/v1/admin/invoice-issuers/${POTSDAM}`, issuer)).status).toBe(403);
  });

  it('lets the Potsdam admin set its own invoice issuer only, and audits the IBAN change with the token subject', async () => {
    expect((await call('erechnung', 'admin-potsdam', 'PUT', `/v1/admin/invoice-issuers/${POTSDAM}`, issuer)).status).toBe(200);
    const changed = await call('erechnung', 'admin-potsdam', 'PUT', `/v1/admin/invoice-issuers/${POTSDAM}`, {
      ...issuer,
      iban: 'DE02120300000000202051',
    });
    expect(changed.status).toBe(200);
    expect((await call('erechnung', 'admin-potsdam', 'PUT', `/v1/admin/invoice-issuers/${OTHER}`, issuer)).status).toBe(403);
    expect((await call('erechnung', 'platform-admin', 'PUT', `/v1/admin/invoice-issuers/${OTHER}`, issuer)).status).toBe(200);
    expect((await call('erechnung', 'admin-potsdam', 'GET', `/v1/admin/invoice-issuers/${OTHER}`)).status).toBe(404);

    const audit = await call<AuditRecord[]>('erechnung', 'auditor-demo', 'GET', '/v1/admin/invoice-audit-log?entity=invoice-issuer');
    expect(audit.status).toBe(200);
    const potsdam = audit.body.filter((a) => a.entityId === POTSDAM);
    expect(potsdam.map((a) => [a.actor, a.action])).toEqual([
      ['admin-potsdam', 'issuer.created'],
      ['admin-potsdam', 'issuer.updated'],
    ]);
    expect(potsdam[1]).toMatchObject({
      clientId: 'admin-potsdam',
      oldValue: { iban: 'DE75512108001245126199' },
      newValue: { iban: 'DE02120300000000202051' },
    });
    expect(audit.body.find((a) => a.entityId === OTHER)).toMatchObject({ actor: 'platform-admin', action: 'issuer.created' });
    expect((await call('erechnung', 'admin-potsdam', 'GET', '/v1/admin/invoice-audit-log')).status).toBe(403);
  });

  it('records the token subject for every routing rule change, readable by the auditor', async () => {
    const audit = await call<AuditRecord[]>('routing', 'auditor-demo', 'GET', '/v1/admin/audit-log');
    expect(audit.status).toBe(200);
    const changes = audit.body.filter((a) => a.action === 'rule.changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      actor: 'admin-potsdam',
      clientId: 'admin-potsdam',
      tenantArs: '120540000000',
      newValue: { arsPrefix: '120540000000', version: 2 },
    });
    expect(audit.body.filter((a) => a.action === 'rule.created').map((a) => a.actor)).toEqual(['platform-admin', 'platform-admin']);
  });
});
