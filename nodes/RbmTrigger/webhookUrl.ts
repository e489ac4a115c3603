/**
 * Google delivers RBM events only to a public HTTPS address. n8n's editor cannot show a notice on
 * a condition about the webhook URL (notices follow parameters only), so the node says it in words
 * (description.ts) and, when a workflow is published with such a URL, in n8n's log.
 */

/** Hosts that only this machine or its private network can reach. */
function isPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
	// IPv6: loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10)
	if (host.includes(':')) return host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
	const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
	if (!v4) return false;
	const [a, b] = [Number(v4[1]), Number(v4[2])];
	return a === 127 || a === 10 || a === 0 || (a === 169 && b === 254) || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/** Why Google cannot call `url` (plain HTTP, or a local or private host); undefined when it can. */
export function webhookUrlProblem(url: string | undefined): string | undefined {
	if (!url) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `${url} is not a URL`;
	}
	const problems: string[] = [];
	if (parsed.protocol !== 'https:') problems.push('it is plain HTTP (Google needs https://)');
	if (isPrivateHost(parsed.hostname)) problems.push(`${parsed.hostname} is not reachable from the internet`);
	return problems.length ? `${url}: ${problems.join(', and ')}` : undefined;
}
