import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventTypes, Topics, type FeeScheduleChangedV1 } from '@poststelle/contracts';
import { addToOutbox } from '@poststelle/messaging';
import { type Principal } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { actsFor } from '../domain/tenant-scope';
import { FeeScheduleRepository, type NewFeeVersion } from './fee-schedule.repository';

/**
 * A tenant-admin adds a version of a fee schedule entry for a region of its own tenant; the change is audited under
 * the token's subject and published on `payments.fee-schedule.v1` (routing's payment gate keeps its own copy).
 */
@Injectable()
export class ChangeFeeUseCase {
  private readonly log = new Logger('ChangeFee');

  constructor(
    private readonly dataSource: DataSource,
    private readonly fees: FeeScheduleRepository,
  ) {}

  async execute(principal: Principal | undefined, fee: NewFeeVersion): Promise<NewFeeVersion & { version: number }> {
    if (!principal || !actsFor(principal, fee.arsPrefix)) {
      throw new PaymentException(
        PaymentErrorCode.TenantNotPermitted,
        `you may not change fees for region ${fee.arsPrefix}: it is outside your tenants`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const version = await this.fees.addVersion(manager, fee, principal.subject);
      const event: FeeScheduleChangedV1 = {
        leikaKey: fee.leikaKey,
        arsPrefix: fee.arsPrefix,
        version,
        amount: fee.amount,
        policy: fee.policy,
        validFrom: fee.validFrom,
      };
      await addToOutbox(manager, {
        topic: Topics.paymentsFeeSchedule,
        key: `${fee.leikaKey}:${fee.arsPrefix}`,
        type: EventTypes.feeScheduleChanged,
        payload: event,
        correlationId: `${fee.leikaKey}:${fee.arsPrefix}`,
        tenant: fee.arsPrefix.padEnd(12, '0'),
      });
      this.log.info('fee version added', { leikaKey: fee.leikaKey, arsPrefix: fee.arsPrefix, version, actor: principal.subject });
      return { ...fee, version };
    });
  }
}
