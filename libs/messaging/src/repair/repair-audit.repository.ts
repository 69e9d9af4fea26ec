import { type EntityManager } from 'typeorm';

export interface RepairAuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  reason: string | undefined;
  detail: Record<string, unknown>;
}

/** All SQL of the repair audit trail (`<schema>.repair_audit`): append-only. */
export class RepairAuditRepository {
  constructor(private readonly schema: string) {}

  async append(
    manager: EntityManager,
    e: { actor: string; action: string; target: string; reason?: string; detail?: Record<string, unknown> },
  ): Promise<void> {
    await manager.query(`INSERT INTO "${this.schema}".repair_audit (actor, action, target, reason, detail) VALUES ($1, $2, $3, $4, $5)`, [
      e.actor,
      e.action,
      e.target,
      e.reason ?? null,
      JSON.stringify(e.detail ?? {}),
    ]);
  }

  async list(manager: EntityManager, limit = 100): Promise<RepairAuditEntry[]> {
    const rows = await manager.query<
      { id: string; at: Date; actor: string; action: string; target: string; reason: string | null; detail: Record<string, unknown> }[]
    >(`SELECT id::text AS id, at, actor, action, target, reason, detail FROM "${this.schema}".repair_audit ORDER BY id DESC LIMIT $1`, [
      limit,
    ]);
    return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), reason: r.reason ?? undefined }));
  }
}
