import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The portal channel's reads of intake's tables. */
@Injectable()
export class PortalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The bundle a case was accepted in (for a replayed bundle: the id of the first acceptance). */
  async bundleIdOfCase(caseId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ bundle_id: string | null }[]>(
      `SELECT canonical->'bundle'->>'bundleId' AS bundle_id FROM intake.cases WHERE case_id = $1`,
      [caseId],
    );
    return row?.bundle_id ?? undefined;
  }
}
