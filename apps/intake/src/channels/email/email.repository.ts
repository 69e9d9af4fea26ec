import { keyOfCaseReference } from '@poststelle/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ReadScope, scopeCondition } from '../../core';
import { type MailboxEntry, type MailboxPurpose } from './email-rules';

/**
 * An inbound message (alias `i`) belongs to the tenant of the case it became or was attached to, and to the tenants
 * owning a mailbox it was addressed to; mail to no tenant's address is visible to platform-admin only (ADR 0016).
 */
function messageVisible(scope: ReadScope, params: unknown[]): string {
  if (scope.all) return 'TRUE';
  const ofCase = scopeCondition(scope, '(SELECT c.tenant_ars FROM intake.cases c WHERE c.case_id = i.case_id)', undefined, params);
  const ofMailbox = scopeCondition(scope, 'm.tenant_ars', undefined, params);
  return `(${ofCase} OR EXISTS (SELECT 1 FROM intake.mailboxes m
    WHERE m.address IN (SELECT lower(r) FROM jsonb_array_elements_text(i.recipients) r) AND ${ofMailbox}))`;
}

export type InboundStatus = 'received' | 'case' | 'follow-up' | 'invoice' | 'rejected';

export interface InboundMessageRow {
  inboundId: string;
  transport: string;
  rawMessageSha512: string | null;
  sizeBytes: number;
  status: InboundStatus;
  reasonCode: string | null;
  reason: string | null;
  caseId: string | null;
  evidence: Record<string, unknown> | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** SQL of the email channel: inbound messages (raw kept by hash), the mailbox table, case lookups by reference. */
@Injectable()
export class EmailRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordReceived(m: {
    transport: 'smtp' | 'http';
    rawSha512: string | null;
    sizeBytes: number;
    envelopeFrom?: string;
    recipients: string[];
  }): Promise<string> {
    const id = randomUUID();
    await this.dataSource.query(
      `INSERT INTO intake.inbound_messages (inbound_id, transport, raw_sha512, size_bytes, envelope_from, recipients, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'received')`,
      [id, m.transport, m.rawSha512, m.sizeBytes, m.envelopeFrom ?? null, JSON.stringify(m.recipients)],
    );
    return id;
  }

  async recordOutcome(
    inboundId: string,
    o: {
      status: Exclude<InboundStatus, 'received'>;
      reasonCode?: string;
      reason?: string;
      caseId?: string;
      evidence?: Record<string, unknown>;
    },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE intake.inbound_messages SET status = $2, reason_code = $3, reason = $4, case_id = $5, evidence = $6, processed_at = now()
       WHERE inbound_id = $1`,
      [inboundId, o.status, o.reasonCode ?? null, o.reason ?? null, o.caseId ?? null, o.evidence ? JSON.stringify(o.evidence) : null],
    );
  }

  async find(inboundId: string, scope: ReadScope): Promise<InboundMessageRow | undefined> {
    const params: unknown[] = [inboundId];
    const [r] = await this.dataSource.query<
      {
        inbound_id: string;
        transport: string;
        raw_sha512: string | null;
        size_bytes: string;
        status: InboundStatus;
        reason_code: string | null;
        reason: string | null;
        case_id: string | null;
        evidence: Record<string, unknown> | null;
        received_at: Date;
        processed_at: Date | null;
      }[]
    >(`SELECT i.* FROM intake.inbound_messages i WHERE i.inbound_id = $1 AND ${messageVisible(scope, params)}`, params);
    return (
      r && {
        inboundId: r.inbound_id,
        transport: r.transport,
        rawMessageSha512: r.raw_sha512,
        sizeBytes: Number(r.size_bytes),
        status: r.status,
        reasonCode: r.reason_code,
        reason: r.reason,
        caseId: r.case_id,
        evidence: r.evidence,
        receivedAt: r.received_at,
        processedAt: r.processed_at,
      }
    );
  }

  /** Whether a message with this raw hash was received and is visible in the scope. */
  async rawKnown(sha512: string, scope: ReadScope): Promise<boolean> {
    const params: unknown[] = [sha512];
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM intake.inbound_messages i WHERE i.raw_sha512 = $1 AND ${messageVisible(scope, params)} LIMIT 1`,
      params,
    );
    return rows.length > 0;
  }

  async upsertMailbox(m: MailboxEntry & { name?: string }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO intake.mailboxes (address, tenant_ars, leika_key, name, purpose, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (address) DO UPDATE SET tenant_ars = $2, leika_key = $3, name = $4, purpose = $5, updated_at = now()`,
      [m.address, m.tenantArs, m.leikaKey ?? null, m.name ?? null, m.purpose ?? 'applications'],
    );
  }

  async findMailbox(address: string): Promise<(MailboxEntry & { name?: string }) | undefined> {
    return (await this.findMailboxes([address]))[0];
  }

  /** The configured mailboxes among these addresses, in the order given. */
  async findMailboxes(addresses: string[]): Promise<(MailboxEntry & { name?: string })[]> {
    if (addresses.length === 0) return [];
    const rows = await this.dataSource.query<
      { address: string; tenant_ars: string; leika_key: string | null; name: string | null; purpose: MailboxPurpose }[]
    >('SELECT address, tenant_ars, leika_key, name, purpose FROM intake.mailboxes WHERE address = ANY($1)', [addresses]);
    return addresses
      .map((a) => rows.find((r) => r.address === a))
      .filter((r): r is NonNullable<typeof r> => !!r)
      .map((r) => ({
        address: r.address,
        tenantArs: r.tenant_ars,
        purpose: r.purpose,
        ...(r.leika_key ? { leikaKey: r.leika_key } : {}),
        ...(r.name ? { name: r.name } : {}),
      }));
  }

  /** The case's tenant (ARS), for the envelope of events about it. */
  async caseTenant(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<string | undefined> {
    const [row] = await manager.query<{ tenant_ars: string }[]>('SELECT tenant_ars FROM intake.cases WHERE case_id = $1', [caseId]);
    return row?.tenant_ars;
  }

  /** Cases a (check-character-verified) reference names, with their tenant; at most two (ambiguity shows). */
  async casesByReference(reference: string): Promise<{ caseId: string; tenantArs: string }[]> {
    const key = keyOfCaseReference(reference);
    if (!key) return [];
    const rows = await this.dataSource.query<{ case_id: string; tenant_ars: string }[]>(
      'SELECT case_id, tenant_ars FROM intake.cases WHERE case_ref = $1 LIMIT 2',
      [key],
    );
    return rows.map((r) => ({ caseId: r.case_id, tenantArs: r.tenant_ars }));
  }

  /** A follow-up mail becomes a row on the case's timeline (no personal data: ids, hashes, counts). */
  async addFollowUp(
    caseId: string,
    inboundId: string,
    summary: Record<string, unknown>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO intake.case_timeline (message_id, case_id, event_type, topic, summary, occurred_at) VALUES ($1, $2, 'email.follow-up', 'email', $3, now())
       ON CONFLICT (message_id) DO NOTHING`,
      [inboundId, caseId, JSON.stringify(summary)],
    );
  }

  /** Records one forwarded e-invoice of a message, once per attachment; its submission id, or undefined when known. */
  async recordForwardedInvoice(
    manager: EntityManager,
    row: {
      submissionId: string;
      inboundId: string;
      rawSha512: string;
      attachmentIndex: number;
      documentSha512: string;
      fileName: string;
      syntax: string;
    },
  ): Promise<string | undefined> {
    const [inserted] = await manager.query<{ submission_id: string }[]>(
      `INSERT INTO intake.email_invoices (submission_id, inbound_id, raw_sha512, attachment_index, document_sha512, file_name, syntax)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (raw_sha512, attachment_index) DO NOTHING RETURNING submission_id`,
      [row.submissionId, row.inboundId, row.rawSha512, row.attachmentIndex, row.documentSha512, row.fileName, row.syntax],
    );
    return inserted?.submission_id;
  }

  /** The submission id an attachment of a message was forwarded under before. */
  async forwardedInvoiceSubmission(manager: EntityManager, rawSha512: string, attachmentIndex: number): Promise<string | undefined> {
    const [earlier] = await manager.query<{ submission_id: string }[]>(
      'SELECT submission_id FROM intake.email_invoices WHERE raw_sha512 = $1 AND attachment_index = $2',
      [rawSha512, attachmentIndex],
    );
    return earlier?.submission_id;
  }
}
