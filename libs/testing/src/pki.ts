import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A throw-away PKI made with openssl at test time: a CA and one certificate it issued (files in `dir`). */
export interface TestPki {
  dir: string;
  caPath: string;
  certPath: string;
  keyPath: string;
}

/**
 * Creates `ca.pem`/`ca.key` (self-signed, 30 days) and `signer.pem`/`signer.key` issued by it (`signerDays` days),
 * with the given subjects (`/C=DE/O=.../CN=...`).
 */
export async function testPki(dir: string, subjects: { ca: string; signer: string }, signerDays = 10): Promise<TestPki> {
  const openssl = (...args: string[]) => exec('openssl', args, { cwd: dir });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    subjects.ca,
  );
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'signer.key', '-out', 'signer.csr', '-subj', subjects.signer);
  await openssl(
    'x509',
    '-req',
    '-in',
    'signer.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'signer.pem',
    '-days',
    String(signerDays),
  );
  return { dir, caPath: join(dir, 'ca.pem'), certPath: join(dir, 'signer.pem'), keyPath: join(dir, 'signer.key') };
}
