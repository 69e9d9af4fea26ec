import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes of the case search (`GET /v1/cases`, newest first, keyset on received time and case id) and of the work
 * queues' keyset lists: a search by tenant region (prefix `LIKE`), service, channel or the applicant's sender
 * reference reads only matching cases in order; the state (from the timeline) is found per case by its event type.
 */
export class IntakeCaseSearch1733700000100 implements MigrationInterface {
  name = 'IntakeCaseSearch1733700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX cases_received_idx ON intake.cases (received_at DESC, case_id DESC)');
    await q.query('CREATE INDEX cases_tenant_search_idx ON intake.cases (tenant_ars bpchar_pattern_ops, received_at DESC, case_id DESC)');
    await q.query('CREATE INDEX cases_service_idx ON intake.cases (leika_key, received_at DESC, case_id DESC)');
    await q.query('CREATE INDEX cases_channel_idx ON intake.cases (channel, received_at DESC, case_id DESC)');
    await q.query(
      `CREATE INDEX cases_sender_reference_idx ON intake.cases ((canonical->>'senderReference')) WHERE canonical ? 'senderReference'`,
    );
    await q.query('CREATE INDEX case_timeline_state_idx ON intake.case_timeline (case_id, event_type)');
    await q.query('CREATE INDEX fit_submissions_case_idx ON intake.fit_submissions (case_id) WHERE case_id IS NOT NULL');
    await q.query('CREATE INDEX scan_queue_keyset_idx ON intake.scan_classification_queue (status, queued_at, item_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'scan_queue_keyset_idx',
      'fit_submissions_case_idx',
      'case_timeline_state_idx',
      'cases_sender_reference_idx',
      'cases_channel_idx',
      'cases_service_idx',
      'cases_tenant_search_idx',
      'cases_received_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS intake.${index}`);
    }
  }
}
