import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface NewFeeRecord {
  caseId: string;
  feeId: string;
  invoiceCandidateId: string;
  tenantArs: string;
  amount: string;
  kassenzeichen: string | null;
  billing: 'invoice' | 'online-payment' | 'not-chosen';
}

/** `erechnung.fee_records`: every fee due, kept so it can be invoiced. */
@Injectable()
export class FeeRecordsRepository {
  /** Records the fee once: false when the fee id was recorded before (a redelivery under a new message id). */
  async recordOnce(m: EntityManager, f: NewFeeRecord): Promise<boolean> {
    const inserted = await m.query<{ fee_id: string }[]>(
      `INSERT INTO erechnung.fee_records (case_id, fee_id, invoice_candidate_id, tenant_ars, amount, kassenzeichen, billing) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (fee_id) DO NOTHING RETURNING fee_id`,
      [f.caseId, f.feeId, f.invoiceCandidateId, f.tenantArs, f.amount, f.kassenzeichen, f.billing],
    );
    return inserted.length > 0;
  }
}
