/**
 * JSON.parse without its error text: on Node 20 that text quotes the input, which for a
 * credential would put part of the private key into an error message.
 */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false; position?: string } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
		return { ok: false, position: position?.[1] };
	}
}
