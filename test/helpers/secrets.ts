/** Asserts that nothing a user can see carries key material, an assertion or a bearer token. */
export function expectNoSecrets(seen: unknown, keyJson: string): void {
	const text = typeof seen === 'string' ? seen : JSON.stringify(seen, (_k, v: unknown) => (v instanceof Error ? { message: v.message, description: (v as { description?: unknown }).description, stack: v.stack, ...(v as object) } : v));
	const key = JSON.parse(keyJson) as { private_key: string };
	const body = key.private_key.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
	expect(text).not.toContain('PRIVATE KEY');
	for (let i = 0; i + 40 <= body.length; i += 200) expect(text).not.toContain(body.slice(i, i + 40));
	expect(text).not.toMatch(/Bearer\s+(?!<redacted>)[A-Za-z0-9._-]{8,}/);
	expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/); // a signed JWT grant
	expect(text).not.toMatch(/access_token/);
}
