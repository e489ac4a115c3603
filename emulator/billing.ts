/**
 * US billing fields of a created AgentMessage (output only, US numbers only): `richMessageClassification`,
 * `totalPayloadSizeBytes` and `carrier`, as Google's generated clients name them (rcsforbusiness-samples
 * AgentMessage.java, RichMessageClassification.java, read at 04b552e, July 2025). Those say the field
 * "classifies the message as RICH or RICH_MEDIA", that `segmentCount` is the "number of 160 character
 * segments in the text, rounded up (300 characters: 2), only populated for RICH_MESSAGE"; the enum
 * itself is not published. The emulator's rules (README › US billing fields):
 * - a text message (with or without suggestions) is `RICH_MESSAGE` with `segmentCount` =
 *   ceil(characters / 160), at least 1, characters counted as Unicode code points;
 * - a message with a file or a card is `RICH_MEDIA_MESSAGE`, without `segmentCount`.
 * `totalPayloadSizeBytes` (an int64 string) is the size of the files the message names that were
 * uploaded to this emulator (files.create with a body); files by URL are not fetched and count 0.
 * `carrier` is `EMULATOR_CARRIER`.
 */
import type { FileStat } from './types';

export const EMULATOR_CARRIER = 'Emulator Wireless (US)';
const SEGMENT_CHARACTERS = 160;

/** US numbers (+1, NANP) get the billing fields, as in Google's answer. */
export const isUsNumber = (phone: string): boolean => phone.startsWith('+1');

function uploadedNames(content: Record<string, unknown>): string[] {
	const names: string[] = [];
	const visit = (v: unknown, key?: string): void => {
		if (Array.isArray(v)) v.forEach((x) => visit(x));
		else if (typeof v === 'object' && v !== null) {
			for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit(x, k);
		} else if (typeof v === 'string' && (key === 'fileName' || key === 'thumbnailName')) names.push(v);
	};
	visit(content);
	return names;
}

export function billingFields(content: Record<string, unknown>, files: FileStat[]): Record<string, unknown> {
	const classification =
		typeof content.text === 'string'
			? { classificationType: 'RICH_MESSAGE', segmentCount: Math.max(1, Math.ceil([...content.text].length / SEGMENT_CHARACTERS)) }
			: { classificationType: 'RICH_MEDIA_MESSAGE' };
	const sizes = new Map(files.filter((f) => f.sizeBytes !== undefined).map((f) => [f.name, f.sizeBytes as number]));
	const total = uploadedNames(content).reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
	return { richMessageClassification: classification, totalPayloadSizeBytes: String(total), carrier: EMULATOR_CARRIER };
}
