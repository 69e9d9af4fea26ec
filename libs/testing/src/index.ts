export { testInfra, uniqueName, createTestDatabase, waitFor } from './env';
export { openTestDatabase, type TestDatabase } from './test-database';
export { KafkaProbe, testKafka, type KafkaProbeOptions, type ProbedMessage } from './kafka-probe';
export { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
export { ServiceProcess, SERVICES, freePort, type ProcessName, type ServiceName } from './service-process';
export { Stack, type StackOptions, type StackRequestInit } from './stack';
export { OidcProvider, API_AUDIENCE, type DemoClient, type OidcProviderOptions } from './oidc-provider';
export { portalSubmission, statusReport } from './factories';
export { DedicatedPostgres, type PostgresStopMode } from './dedicated-postgres';
export { KafkaCluster } from './kafka-cluster';
export {
  CaseLoad,
  SIDE_EFFECT_TABLES,
  caseIdsOfKafkaSubmissions,
  deadLetterCounts,
  loadAndVerify,
  submitViaKafka,
  verifyDelivery,
  type CaseLoadOptions,
  type DeliveryReport,
  type LoadAndVerifyOptions,
  type LoadAndVerifyReport,
  type VerifyOptions,
} from './load-and-verify';
export { SmtpSink, type SunkMail } from './smtp-sink';
export { minimalPdf } from './pdf';
export { camt053, camt054, kassenzeichenOf, largeStatement, seedOpenPayments, type CamtTx } from './camt-builder';
export {
  textPdf,
  scannedPage,
  coverSheetPdf,
  pdfToText,
  scanIndexXml,
  sha512,
  scanCentrePki,
  sealIndex,
  type ScanIndexDocument,
  type ScanCentrePki,
} from './scan-fixtures';
export { testPki, type TestPki } from './pki';
export { strictMock } from './strict-mock';
