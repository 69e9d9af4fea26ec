import { type EntityManager } from 'typeorm';

/**
 * Claims a message for a consumer inside the caller's transaction. Returns false when the consumer has already
 * processed it (a redelivery), in which case the caller must not repeat the side effect.
 */
export async function claimInbox(
  manager: EntityManager,
  schema: string,
  claim: { consumer: string; messageId: string; topic: string; partition: number; offset: string },
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO "${schema}".inbox (consumer, message_id, topic, partition, "offset") VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
    [claim.consumer, claim.messageId, claim.topic, claim.partition, claim.offset],
  );
  return rows.length === 1;
}
