import { Resolver } from 'node:dns/promises';
import { authenticate } from 'mailauth';
import { Logger, describeError } from '@poststelle/telemetry';
import {
  type AuthResult,
  type DmarcResult,
  type DnsResolver,
  type MailAuthPort,
  type SenderAuthentication,
  type SmtpEnvelope,
} from './email.ports';

const AUTH: AuthResult[] = ['pass', 'fail', 'none', 'neutral', 'temperror', 'permerror', 'softfail', 'policy'];
const DMARC: DmarcResult[] = ['pass', 'fail', 'none', 'temperror', 'permerror'];

const asAuth = (v: unknown): AuthResult => (AUTH.includes(v as AuthResult) ? (v as AuthResult) : 'temperror');
const asDmarc = (v: unknown): DmarcResult => (DMARC.includes(v as DmarcResult) ? (v as DmarcResult) : 'temperror');

/** A resolver that fails every lookup (sites without DNS): mailauth reports `temperror`. */
export const offlineResolver: DnsResolver = (domain) =>
  Promise.reject(Object.assign(new Error(`DNS disabled (lookup of ${domain})`), { code: 'ESERVFAIL' }));

/** The OS resolver with one try and a bounded timeout, so a dead DNS never stalls intake. */
export function systemResolver(timeoutMs: number): DnsResolver {
  const r = new Resolver({ timeout: timeoutMs, tries: 1 });
  return (domain, rrtype) => r.resolve(domain, rrtype) as Promise<unknown[]>;
}

/** Adapter: DKIM, SPF and DMARC with mailauth. Any failure becomes `temperror`; it never throws. */
export class MailauthAdapter implements MailAuthPort {
  private readonly log = new Logger('MailAuth');

  constructor(private readonly resolver: DnsResolver) {}

  async authenticate(raw: Buffer, envelope: SmtpEnvelope): Promise<SenderAuthentication> {
    try {
      const result = await authenticate(raw, {
        resolver: this.resolver as never,
        ...(envelope.mailFrom ? { sender: envelope.mailFrom } : {}),
        ...(envelope.clientIp ? { ip: envelope.clientIp } : {}),
        ...(envelope.helo ? { helo: envelope.helo } : {}),
        trustReceived: !envelope.clientIp,
        disableArc: true,
        disableBimi: true,
      });
      const dkimRows = result.dkim?.results ?? [];
      const dkim: AuthResult =
        dkimRows.length === 0 ? 'none' : dkimRows.some((r) => r.status?.result === 'pass') ? 'pass' : asAuth(dkimRows[0]?.status?.result);
      const spf: AuthResult = result.spf ? asAuth(result.spf.status?.result) : 'none';
      const dmarc: DmarcResult = result.dmarc ? asDmarc(result.dmarc.status?.result) : 'none';
      const dkimDomains = [
        ...new Set(
          dkimRows
            .filter((r) => r.status?.result === 'pass' && typeof r.signingDomain === 'string')
            .map((r) => String(r.signingDomain).toLowerCase()),
        ),
      ];
      return { dkim, spf, dmarc, dkimDomains };
    } catch (error) {
      this.log.warn('sender authentication failed; recorded as temperror', { error: describeError(error).error });
      return { dkim: 'temperror', spf: 'temperror', dmarc: 'temperror', dkimDomains: [] };
    }
  }
}
