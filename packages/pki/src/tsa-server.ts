/**
 * A loopback HTTP front for the TSA (RFC 3161 §3.4: POST application/timestamp-query → application/timestamp-reply),
 * and the TSA directory the CLI uses: DIR/tsa.pem + DIR/tsa-key.pem (+ chain.pem); a CA directory without them
 * gets a TSA certificate issued by its CA on first start. Node-only.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, YzError, createSigner, generateKeyPair, importPrivateKey } from '@yinzhang/gm';
import { CertificateAuthority } from './ca.js';
import { DirectoryCaStore } from './ca-directory.js';
import { certificateToPem, parseCertificate, parseCertificates, type Certificate } from './certificate.js';
import { PkiOid } from './oids.js';
import { Tsa } from './tsp.js';

const MAX_REQUEST_BYTES = 64 * 1024;

function atomicWrite(path: string, data: string, secret = false): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: secret ? 0o600 : 0o644 });
  renameSync(tmp, path);
}

/** Loads (or, in a CA directory, creates) the TSA of a directory. */
export async function loadTsaDirectory(dir: string, opts: { policy?: string } = {}): Promise<{ tsa: Tsa; created: boolean }> {
  const certPath = join(dir, 'tsa.pem');
  const keyPath = join(dir, 'tsa-key.pem');
  let created = false;
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const store = new DirectoryCaStore(dir);
    if (!store.exists()) throw new YzError(ErrorCode.CA_NOT_INITIALISED, `${dir} holds neither tsa.pem + tsa-key.pem nor a CA (yinzhang ca init)`);
    await store.withLock(async () => {
      const ca = await CertificateAuthority.open(store, store.loadCaSigner());
      const alg = ca.certificate.keyAlgorithm === 'rsa' ? 'rsa2048' : ca.certificate.keyAlgorithm === 'p256' ? 'p256' : 'sm2';
      const key = generateKeyPair(alg);
      const org = ca.certificate.subject.rdns.filter((a) => a.oid === PkiOid.organization || a.oid === PkiOid.country);
      const subject = ['CN=yinzhang TSA', ...[...org].reverse().map((a) => `${a.oid === PkiOid.country ? 'C' : 'O'}=${a.value.replace(/[\\,+"<>;=]/g, (c) => '\\' + c)}`)].join(',');
      const notAfter = new Date(Math.min(ca.certificate.notAfter.getTime(), Date.now() + 1825 * 86_400_000));
      const cert = await ca.issue({ profile: 'tsa', subject, publicKey: key.publicKey, notAfter });
      atomicWrite(keyPath, key.toPem(), true);
      atomicWrite(certPath, certificateToPem(cert));
      atomicWrite(join(dir, 'chain.pem'), certificateToPem(ca.certificate));
    });
    created = true;
  }
  let cert: Certificate;
  let chain: Certificate[] = [];
  try {
    cert = parseCertificate(readFileSync(certPath));
    if (existsSync(join(dir, 'chain.pem'))) chain = parseCertificates(readFileSync(join(dir, 'chain.pem')));
  } catch (e) {
    if (e instanceof YzError) throw e;
    throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot read the TSA files in ${dir}`, undefined, { cause: e });
  }
  const signer = createSigner(importPrivateKey(readFileSync(keyPath)));
  return { tsa: new Tsa({ certificate: cert, signer, chain, ...(opts.policy ? { policy: opts.policy } : {}) }), created };
}

/** Serves the TSA on 127.0.0.1:port (0 = any free port). Resolves once listening. */
export function serveTsa(tsa: Tsa, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' }).end('POST an RFC 3161 TimeStampReq (application/timestamp-query)\n');
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (type !== 'application/timestamp-query') {
      res.writeHead(415, { 'content-type': 'text/plain; charset=utf-8' }).end('expected application/timestamp-query\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      tsa
        .respond(new Uint8Array(Buffer.concat(chunks)))
        .then((body) => res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body))
        .catch(() => res.writeHead(500).end());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new YzError(ErrorCode.FILE_UNREADABLE, `cannot listen on ${host}:${port}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    server.listen(port, host, () => resolve(server));
  });
}
