export { startTelemetry, stopTelemetry } from './start-telemetry';
export { Logger, configureLogging, describeError, type LogLevel, type LogFields } from './logger';
export { registry, metrics } from './metrics';
