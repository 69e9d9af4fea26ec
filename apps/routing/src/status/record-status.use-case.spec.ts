import { type EntityManager } from 'typeorm';
import { type CaseStatusChangedV1, type EventEnvelope, type PostalLetterV1, type ReplyChannelDto } from '@poststelle/contracts';
import { RecordStatusUseCase, postalRecipientLine } from './record-status.use-case';

const CASE_ID = '3f2a9c1b-0d1e-4f5a-8b6c-7d8e9f0a1b2c';
const MESSAGE_ID = '8b0e7a2c-4a4e-4d7e-9a39-2f3a3c1f6b11';
const ERIKA = { name: 'Erika Mustermann', address: { street: 'Musterweg', houseNumber: '1', postalCode: '14467', city: 'Potsdam' } };
const status: CaseStatusChangedV1 = {
  caseId: CASE_ID,
  procedureId: 'parking-potsdam',
  status: 'COMPLETED',
  message: 'Ihr Ausweis liegt bereit.',
  reportedBy: 'procedure:parking-potsdam',
  reportedAt: '2026-11-30T09:00:00.000Z',
};

/** A stand-in for the transaction's EntityManager: records every statement; the history insert finds `seen` ids. */
function fakeManager(seen: Set<string> = new Set()) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const manager = {
    connection: { options: { schema: 'routing' } },
    query: (sql: string, params: unknown[] = []): Promise<unknown[]> => {
      statements.push({ sql, params });
      if (sql.includes('routing.case_status_history')) {
        const id = params[0] as string;
        if (seen.has(id)) return Promise.resolve([]);
        seen.add(id);
        return Promise.resolve([{ message_id: id }]);
      }
      return Promise.resolve([]);
    },
  };
  return { manager: manager as unknown as EntityManager, statements };
}

const record = (manager: EntityManager, replyChannel: ReplyChannelDto | null) =>
  new RecordStatusUseCase().execute(manager, MESSAGE_ID, status, { replyChannel, tenantArs: '120540000000' });

describe('recording a status: the applicant is told through the reply channel', () => {
  it('postal: a letter order (notification row with channel postal, and notifications.postal.v1 through the outbox)', async () => {
    const { manager, statements } = fakeManager();
    expect(await record(manager, { postal: ERIKA })).toBe(true);
    const row = statements.find((s) => s.sql.includes('routing.notifications'));
    expect(row?.sql).toMatch(/'postal'/);
    expect(row?.params.slice(1)).toEqual([
      CASE_ID,
      MESSAGE_ID,
      'Erika Mustermann, Musterweg 1, 14467 Potsdam',
      expect.stringContaining('abgeschlossen') as unknown,
      expect.stringContaining('Ihr Ausweis liegt bereit.') as unknown,
    ]);
    const outbox = statements.filter((s) => s.sql.includes('outbox'));
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.params.slice(1, 3)).toEqual(['notifications.postal.v1', CASE_ID]);
    const envelope = JSON.parse(outbox[0]!.params[3] as string) as EventEnvelope<PostalLetterV1>;
    expect(envelope).toMatchObject({
      type: 'notification.postal-letter',
      correlationId: CASE_ID,
      causationId: MESSAGE_ID,
      tenant: '120540000000',
    });
    expect(envelope.payload).toEqual({
      notificationId: row!.params[0],
      caseId: CASE_ID,
      status: 'COMPLETED',
      subject: row!.params[4],
      body: row!.params[5],
      recipient: ERIKA,
    });
  });

  it('the same status message twice: one letter', async () => {
    const { manager, statements } = fakeManager();
    expect(await record(manager, { postal: ERIKA })).toBe(true);
    expect(await record(manager, { postal: ERIKA })).toBe(false);
    expect(statements.filter((s) => s.sql.includes('outbox'))).toHaveLength(1);
  });

  it('e-mail: a pending notification row for the dispatcher, no letter', async () => {
    const { manager, statements } = fakeManager();
    await record(manager, { eMail: { address: 'erika@example.org' } });
    expect(statements.filter((s) => s.sql.includes('outbox'))).toHaveLength(0);
    expect(statements.find((s) => s.sql.includes('routing.notifications'))?.sql).toMatch(/'email'/);
  });

  it('De-Mail, FINK, ELSTER: a portal-mailbox message', async () => {
    const { manager, statements } = fakeManager();
    await record(manager, { fink: { finkPostfachRef: 'abc' } });
    const [outbox] = statements.filter((s) => s.sql.includes('outbox'));
    expect(outbox!.params[1]).toBe('notifications.portal.v1');
    expect((JSON.parse(outbox!.params[3] as string) as EventEnvelope<{ replyChannel: string }>).payload.replyChannel).toBe('fink');
  });

  it('writes the recipient line with a foreign country as prefix of the postal code', () => {
    expect(postalRecipientLine('Max Muster', { street: 'Hauptstrasse 5', postalCode: '1010', city: 'Wien', country: 'AT' })).toBe(
      'Max Muster, Hauptstrasse 5, AT-1010 Wien',
    );
  });
});
