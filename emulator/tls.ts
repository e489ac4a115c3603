/**
 * HTTPS material of the emulator: a throw-away local CA and a server certificate signed by it, made
 * at start. Keys come from Node's crypto (async, off the main thread); node-forge only builds and
 * signs the certificates (no openssl shell-out). node-forge is loaded lazily so that plain-HTTP runs
 * (the default) do not need it.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Forge from 'node-forge';

export const CA_COMMON_NAME = 'RBM emulator local CA';
const DAY_MS = 24 * 3600 * 1000;

export interface TlsMaterial {
	/** PEM of the CA certificate (what clients trust). */
	caPem: string;
	/** PEM of the server certificate (leaf only). */
	certPem: string;
	/** PEM (PKCS#8) of the server's private key. */
	keyPem: string;
	/** Wall time spent making keys and certificates. */
	generationMs: number;
}

function rsaKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
	return new Promise((resolve, reject) => {
		generateKeyPair(
			'rsa',
			{ modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
			(err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })),
		);
	});
}

/** A positive serial number (DER INTEGER without a leading 1 bit), 16 random bytes in hex. */
function serial(): string {
	const b = randomBytes(16);
	b[0] &= 0x7f;
	if (b[0] === 0) b[0] = 1;
	return b.toString('hex');
}

/** Names the server certificate is valid for: localhost, 127.0.0.1, ::1 and the listen host. */
export function subjectAltNames(host: string): Array<{ type: 2; value: string } | { type: 7; ip: string }> {
	const names: Array<{ type: 2; value: string } | { type: 7; ip: string }> = [
		{ type: 2, value: 'localhost' },
		{ type: 7, ip: '127.0.0.1' },
		{ type: 7, ip: '::1' },
	];
	const h = host.replace(/^\[|\]$/g, '');
	const wildcard = h === '0.0.0.0' || h === '::';
	if (h && !wildcard && h !== 'localhost' && h !== '127.0.0.1' && h !== '::1') {
		names.push(isIP(h) ? { type: 7, ip: h } : { type: 2, value: h });
	}
	return names;
}

export async function generateTlsMaterial(host: string): Promise<TlsMaterial> {
	const started = performance.now();
	const [forge, caKeys, serverKeys] = await Promise.all([
		(import('node-forge') as Promise<typeof Forge>).catch((e: unknown) => {
			throw new Error(`HTTPS mode needs node-forge (a devDependency of this package): ${(e as Error).message}`);
		}),
		rsaKeyPair(),
		rsaKeyPair(),
	]);
	const { pki, md } = forge;
	const now = Date.now();
	const notBefore = new Date(now - DAY_MS);
	const notAfter = new Date(now + 30 * DAY_MS);

	const caKey = pki.privateKeyFromPem(caKeys.privateKey);
	const caSubject = [
		{ name: 'commonName', value: CA_COMMON_NAME },
		{ name: 'organizationName', value: 'n8n-nodes-rbm emulator' },
	];
	const ca = pki.createCertificate();
	ca.publicKey = pki.publicKeyFromPem(caKeys.publicKey);
	ca.serialNumber = serial();
	ca.validity.notBefore = notBefore;
	ca.validity.notAfter = notAfter;
	ca.setSubject(caSubject);
	ca.setIssuer(caSubject);
	ca.setExtensions([
		{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
		{ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
	]);
	ca.sign(caKey, md.sha256.create());

	const leaf = pki.createCertificate();
	leaf.publicKey = pki.publicKeyFromPem(serverKeys.publicKey);
	leaf.serialNumber = serial();
	leaf.validity.notBefore = notBefore;
	leaf.validity.notAfter = notAfter;
	leaf.setSubject([{ name: 'commonName', value: 'localhost' }]);
	leaf.setIssuer(caSubject);
	leaf.setExtensions([
		{ name: 'basicConstraints', cA: false, critical: true },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'extKeyUsage', serverAuth: true },
		{ name: 'subjectAltName', altNames: subjectAltNames(host) },
		{ name: 'subjectKeyIdentifier' },
		{ name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
	]);
	leaf.sign(caKey, md.sha256.create());

	return {
		caPem: pki.certificateToPem(ca),
		certPem: pki.certificateToPem(leaf),
		keyPem: serverKeys.privateKey,
		generationMs: performance.now() - started,
	};
}

/**
 * Writes the CA PEM to `caFile`, or to a new private folder under os.tmpdir(). Returns the path and,
 * for a folder of our own, a cleanup that removes it (the CA dies with the emulator anyway).
 */
export function writeCaFile(caPem: string, caFile?: string): { path: string; cleanup: () => void } {
	if (caFile) {
		mkdirSync(dirname(caFile), { recursive: true });
		writeFileSync(caFile, caPem, { mode: 0o644 });
		return { path: caFile, cleanup: () => undefined };
	}
	const dir = mkdtempSync(join(tmpdir(), 'rbm-emulator-ca-'));
	const path = join(dir, 'ca.pem');
	writeFileSync(path, caPem, { mode: 0o644 });
	return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
