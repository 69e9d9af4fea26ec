// The demo clients (client-credentials grant) and the demo people (console sign-in) of the embedded provider.
// Their claims end up in the access token: `roles`, `tenants` (ARS prefixes), and for channels `channels` (the
// channel kinds the client may submit for) and `mayAssert` (what it may assert about the applicant, e.g. eID).
export const DEMO_CLIENTS = [
  {
    clientId: 'channel-demo',
    roles: ['channel'],
    tenants: [],
    channels: ['portal', 'email', 'paper', 'fit-connect', 'adapter'],
    mayAssert: ['eid', 'levelOfAssurance'],
  },
  // A channel client without assert rights: its eID and level-of-assurance claims are not believed (ADR 0016).
  {
    clientId: 'channel-untrusted',
    roles: ['channel'],
    tenants: [],
    channels: ['portal', 'email', 'fit-connect', 'adapter'],
    mayAssert: [],
  },
  // The scan centre: hands in paper (scan batches) and nothing else.
  { clientId: 'scan-centre', roles: ['channel'], tenants: [], channels: ['paper'], mayAssert: [] },
  { clientId: 'operator-potsdam', roles: ['caseworker'], tenants: ['120540000000'] },
  { clientId: 'operator-other', roles: ['caseworker'], tenants: ['010010000000'] },
  { clientId: 'admin-potsdam', roles: ['tenant-admin'], tenants: ['120540000000'] },
  { clientId: 'auditor-demo', roles: ['auditor'], tenants: [] },
  { clientId: 'platform-admin', roles: ['platform-admin'], tenants: [] },
];

/** Sign in at the console with one of these login names (any password: oidc-provider's dev interactions). */
export const DEMO_USERS = DEMO_CLIENTS.filter((c) => !c.roles.includes('channel')).map(({ clientId, ...claims }) => ({
  login: clientId.replace(/^operator-/, 'clerk-'),
  ...claims,
}));
