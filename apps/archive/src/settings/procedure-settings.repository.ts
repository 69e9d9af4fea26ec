import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type FileSettings } from '../efile/efile.repository';

export interface ProcedureFileSettings extends FileSettings {
  procedureId: string;
  tenantArs: string;
  updatedBy: string;
  updatedAt: Date;
}

/** Defaults for a procedure without settings: unclassified, 10 years, appraisal by the archive (B). */
export const DEFAULT_FILE_SETTINGS: FileSettings = {
  filePlanUnit: '000',
  filePlanTitle: 'Ohne Aktenplanzuordnung',
  confidentiality: '003',
  retentionYears: 10,
  disposalClass: 'B',
};

/** `archive.procedure_settings`: file plan unit, confidentiality, retention and disposal class per procedure. */
@Injectable()
export class ProcedureSettingsRepository {
  async get(manager: EntityManager, procedureId: string): Promise<ProcedureFileSettings | undefined> {
    const [row] = await manager.query<ProcedureFileSettings[]>(
      `SELECT procedure_id AS "procedureId", tenant_ars AS "tenantArs", file_plan_unit AS "filePlanUnit", file_plan_title AS "filePlanTitle",
              confidentiality, retention_years AS "retentionYears", disposal_class AS "disposalClass", updated_by AS "updatedBy", updated_at AS "updatedAt"
         FROM archive.procedure_settings WHERE procedure_id = $1`,
      [procedureId],
    );
    return row;
  }

  async put(manager: EntityManager, s: Omit<ProcedureFileSettings, 'updatedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO archive.procedure_settings (procedure_id, tenant_ars, file_plan_unit, file_plan_title, confidentiality, retention_years, disposal_class, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (procedure_id) DO UPDATE SET tenant_ars = $2, file_plan_unit = $3, file_plan_title = $4, confidentiality = $5,
         retention_years = $6, disposal_class = $7, updated_by = $8, updated_at = now()`,
      [s.procedureId, s.tenantArs, s.filePlanUnit, s.filePlanTitle, s.confidentiality, s.retentionYears, s.disposalClass, s.updatedBy],
    );
  }
}
