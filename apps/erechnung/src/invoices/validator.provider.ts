import { type FactoryProvider, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { XRechnungValidator } from '@poststelle/xrechnung';

export const XRECHNUNG_VALIDATOR = Symbol('XRECHNUNG_VALIDATOR');

/** One validator (worker pool, rules loaded once per worker) per service process. */
export const xrechnungValidatorProvider: FactoryProvider<Promise<XRechnungValidator>> = {
  provide: XRECHNUNG_VALIDATOR,
  useFactory: () => XRechnungValidator.start(),
};

@Injectable()
export class XRechnungValidatorLifecycle implements OnApplicationShutdown {
  constructor(@Inject(XRECHNUNG_VALIDATOR) private readonly validator: XRechnungValidator) {}

  async onApplicationShutdown(): Promise<void> {
    await this.validator.close();
  }
}
