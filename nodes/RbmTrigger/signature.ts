/** RBM webhook authenticity: X-Goog-Signature and the verification handshake token (https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks). */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** base64(HMAC-SHA512(clientToken, the base64-decoded bytes of message.data)). */
export function expectedSignature(clientToken: string, data: string): Buffer {
	return createHmac('sha512', clientToken).update(Buffer.from(data, 'base64')).digest();
}

/** Constant-time check of a header value against the expected digest. */
export function isValidSignature(clientToken: string, data: string, header: string): boolean {
	const given = Buffer.from(header.trim(), 'base64');
	const expected = expectedSignature(clientToken, data);
	// timingSafeEqual needs equal lengths; a wrong length is a wrong signature.
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
	const ha = createHmac('sha256', 'rbm-token-compare').update(a).digest();
	const hb = createHmac('sha256', 'rbm-token-compare').update(b).digest();
	return timingSafeEqual(ha, hb) && a.length === b.length;
}
