import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { ARS, validateContract } from '@poststelle/contracts';
import { CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { PaymentErrorCode, PaymentException } from '../domain/payment.exception';
import { OnlinePaymentUseCase } from './online-payment.use-case';

export class ProviderConfigRequest {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) endpoint!: string;
  @Matches(/^[A-Za-z0-9._-]{1,64}\/[A-Za-z0-9._-]{1,64}$/, { message: 'merchantId must be <originatorId>/<endPointId>' })
  merchantId!: string;
  @IsString() @MaxLength(500) @Matches(/^[^:]+:.+$/, { message: 'credentials must be user:password' }) credentials!: string;
}
export class StartOnlinePaymentRequest {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) returnUrl!: string;
}

/** Per-tenant provider configuration; the portal's online payment: paypage and the citizen's return. */
@Controller('v1')
export class ProviderController {
  constructor(private readonly online: OnlinePaymentUseCase) {}

  /** Endpoint, merchant and credentials of the tenant's payment platform (the credentials are never read back). */
  @Permission('config:write')
  @Put('admin/payment-provider/:tenantArs')
  async configure(@Param('tenantArs') tenantArs: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    if (!ARS.test(tenantArs)) throw new PaymentException(PaymentErrorCode.InvalidFeeKey, 'tenantArs must be a 12-digit ARS');
    const req = validateContract(ProviderConfigRequest, body);
    await this.online.configure(principal, { tenantArs, ...req });
    return { tenantArs, endpoint: req.endpoint, merchantId: req.merchantId };
  }

  /** The portal starts the online payment of a case's fee and sends the citizen to the paypage URL it gets back. */
  @Permission('submission:create')
  @Post('cases/:caseId/payment/online')
  @HttpCode(200)
  start(@Param('caseId', new ParseUUIDPipe({ version: '4' })) caseId: string, @Body() body: unknown) {
    return this.online.start(caseId, validateContract(StartOnlinePaymentRequest, body).returnUrl);
  }

  /**
   * The citizen came back from the paypage. Nothing in the request is believed (a "paid" in the return URL books
   * nothing): the provider is asked for the status at once.
   */
  @Permission('submission:create')
  @Post('payments/:paymentId/returned')
  @HttpCode(202)
  async returned(@Param('paymentId', new ParseUUIDPipe({ version: '4' })) paymentId: string) {
    await this.online.citizenReturned(paymentId);
    return { paymentId, message: 'the status is being asked from the payment provider' };
  }
}
