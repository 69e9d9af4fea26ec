import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Permission } from '@poststelle/platform';
import { DigestService } from './digest.service';

/** The daily digests over all journal heads (operators and auditors). */
@Controller('v1/archive/digests')
export class DigestController {
  constructor(private readonly digests: DigestService) {}

  /** Makes a digest now (beside the scheduled daily one). */
  @Permission('ops:repair')
  @Post()
  @HttpCode(201)
  async create() {
    return this.digests.digest(true);
  }

  @Permission('audit:read')
  @Get('verify')
  async verify() {
    return this.digests.verify();
  }
}
