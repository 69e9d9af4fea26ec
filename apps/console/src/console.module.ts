import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TokenVerifier } from '@poststelle/platform';
import { ServicesClient } from './api/services.client';
import { PageAccessCheck } from './auth/access-check';
import { ConsoleGuard } from './auth/console.guard';
import { OpenIdClientGateway, SIGN_IN_GATEWAY } from './auth/oidc.gateway';
import { SignInController } from './auth/sign-in.controller';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './console.config';
import { OperationsController } from './operations.controller';
import { AdminController } from './pages/admin.controller';
import { CasesController } from './pages/cases.controller';
import { OversightController } from './pages/oversight.controller';
import { QueuesController } from './pages/queues.controller';
import { RepairController } from './pages/repair.controller';
import { SettingsController } from './pages/settings.controller';
import { WorkQueuesController } from './pages/work-queues.controller';
import { SessionStore } from './session/session.store';
import { ErrorPagesFilter } from './web/error-pages.filter';

/** The operator console: a backend-for-frontend serving HTML; it keeps sessions and calls the services' APIs. */
@Module({})
export class ConsoleModule {
  static forRoot(settings: ConsoleSettings): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [DiscoveryModule],
      controllers: [
        OperationsController,
        SignInController,
        CasesController,
        QueuesController,
        WorkQueuesController,
        RepairController,
        AdminController,
        SettingsController,
        OversightController,
      ],
      providers: [
        { provide: CONSOLE_SETTINGS, useValue: settings },
        { provide: SessionStore, useValue: new SessionStore(settings.session) },
        { provide: SIGN_IN_GATEWAY, useValue: new OpenIdClientGateway(settings.oidc) },
        {
          provide: TokenVerifier,
          useValue: new TokenVerifier({
            issuer: settings.oidc.issuer,
            audience: settings.oidc.audience,
            ...(settings.oidc.jwksUri ? { jwksUri: settings.oidc.jwksUri } : {}),
            claims: settings.oidc.claims,
            clockToleranceSeconds: settings.oidc.clockToleranceSeconds,
          }),
        },
        ServicesClient,
        PageAccessCheck,
        { provide: APP_GUARD, useClass: ConsoleGuard },
        { provide: APP_FILTER, useClass: ErrorPagesFilter },
      ],
    };
  }
}
