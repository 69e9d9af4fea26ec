import { type EntityManager } from 'typeorm';
import { type CaseStatusChangedV1, type ReplyChannelDto } from '@poststelle/contracts';
import { strictMock } from '@poststelle/testing';
import { RecordStatusUseCase, postalRecipientLine } from './record-status.use-case';
import { type NewNotification, type StatusRepository } from './status.repository';

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
const manager = {} as EntityManager;

/** The status repository as the use-case sees it: the history knows `seen` message ids; notifications are kept. */
function statuses(seen: Set<string> = new Set()) {
  const notifications: NewNotification[] = [];
  const repository = strictMock<StatusRepository>('StatusRepository', {
    addToHistory: (_m, messageId) => {
      if (seen.has(messageId)) return Promise.resolve(false);
      seen.add(messageId);
      return Promise.resolve(true);
    },
    addNotification: (_m, n) => {
      notifications.push(n);
      return Promise.resolve();
    },
  });
  return { repository, notifications };
}

const record = (repository: StatusRepository, replyChannel: ReplyChannelDto | null) =>
  new RecordStatusUseCase(repository).execute(manager, MESSAGE_ID, status, { replyChannel, tenantArs: '120540000000' });

describe('recording a status: the applicant is told through the reply channel', () => {
  it('postal: a letter order (notification with channel postal, and notifications.postal.v1 through the outbox)', async () => {
    const { repository, notifications } = statuses();
    expect(await record(repository, { postal: ERIKA })).toBe(true);
    expect(notifications).toHaveLength(1);
    const letter = notifications[0]!;
    expect(letter).toMatchObject({
      channel: 'postal',
      caseId: CASE_ID,
      statusMessageId: MESSAGE_ID,
      recipient: 'Erika Mustermann, Musterweg 1, 14467 Potsdam',
      subject: expect.stringContaining('abgeschlossen') as unknown,
      body: expect.stringContaining('Ihr Ausweis liegt bereit.') as unknown,
    });
    if (letter.channel === 'email') throw new Error('a letter, not an email');
    expect(letter.handOver).toMatchObject({
      topic: 'notifications.postal.v1',
      key: CASE_ID,
      type: 'notification.postal-letter',
      correlationId: CASE_ID,
      causationId: MESSAGE_ID,
      tenant: '120540000000',
    });
    expect(letter.handOver.payload).toEqual({
      notificationId: letter.notificationId,
      caseId: CASE_ID,
      status: 'COMPLETED',
      subject: letter.subject,
      body: letter.body,
      recipient: ERIKA,
    });
  });

  it('the same status message twice: one letter', async () => {
    const { repository, notifications } = statuses();
    expect(await record(repository, { postal: ERIKA })).toBe(true);
    expect(await record(repository, { postal: ERIKA })).toBe(false);
    expect(notifications).toHaveLength(1);
  });

  it('e-mail: a pending notification for the dispatcher, no letter', async () => {
    const { repository, notifications } = statuses();
    await record(repository, { eMail: { address: 'erika@example.org' } });
    expect(notifications).toEqual([expect.objectContaining({ channel: 'email', recipient: 'erika@example.org' })]);
    expect(notifications[0]).not.toHaveProperty('handOver');
  });

  it('De-Mail, FINK, ELSTER: a portal-mailbox message', async () => {
    const { repository, notifications } = statuses();
    await record(repository, { fink: { finkPostfachRef: 'abc' } });
    const [message] = notifications;
    expect(message).toMatchObject({ channel: 'portal', recipient: 'fink' });
    if (message?.channel !== 'portal') throw new Error('a portal message');
    expect(message.handOver).toMatchObject({ topic: 'notifications.portal.v1', type: 'notification.portal-message' });
    expect((message.handOver.payload as { replyChannel: string }).replyChannel).toBe('fink');
  });

  it('no reply channel: the status is recorded, nobody is notified', async () => {
    const { repository, notifications } = statuses();
    expect(await record(repository, null)).toBe(true);
    expect(notifications).toEqual([]);
  });

  it('writes the recipient line with a foreign country as prefix of the postal code', () => {
    expect(postalRecipientLine('Max Muster', { street: 'Hauptstrasse 5', postalCode: '1010', city: 'Wien', country: 'AT' })).toBe(
      'Max Muster, Hauptstrasse 5, AT-1010 Wien',
    );
  });
});
