// Decorator metadata (design:type) must be recorded before any config or contract class is defined.
import 'reflect-metadata';
export * from './topics';
export * from './identifiers';
export * from './validation';
export * from './envelope';
export * from './case/common.dto';
export * from './case/form-data';
export * from './case/case-reference';
export * from './case/channel.dto';
export * from './case/case.v1';
export * from './submission/submission.v1';
export * from './events/case-events.v1';
export * from './events/payment-events.v1';
export * from './events/archive-events.v1';
export * from './events/invoice-events.v1';
export * from './events/invoice-inbound.v1';
export * from './events/case-status.v1';
export * from './events/scan-events.v1';
