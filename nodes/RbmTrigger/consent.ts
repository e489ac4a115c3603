/**
 * Opt-out (STOP) and opt-in (START) replies: which user messages withdraw or give consent.
 * The keyword lists, the matching rule and why each word is (or is not) a default: docs/opt-out.md.
 *
 * A message matches only when the whole message is one keyword, the rule carriers and Twilio
 * apply ("STOP PLEASE" does not opt out: https://help.twilio.com/articles/223134027), so that a
 * sentence that merely contains "stop" ("Don't stop the offers") never unsubscribes anyone.
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * English: the CTIA / Twilio keywords plus REVOKE and OPT OUT, which the FCC's 2025 consent rule
 * names. Other languages: only words that, sent alone to a brand, ask to stop its messages.
 * Left out on purpose (docs/opt-out.md): ANNULLA, CANCELAR (answers about an order or booking),
 * ALTO ("high", "tall", "loud"), FIN, YES.
 */
export const DEFAULT_OPT_OUT_KEYWORDS = [
	'STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'OPT OUT',
	'ARRÊT', 'ARRÊTE', 'DÉSINSCRIRE', 'DÉSABONNER',
	'BAJA', 'DAR DE BAJA', 'PARAR',
	'SAIR', 'DESCADASTRAR',
	'DISISCRIVI', 'DISISCRIVIMI', 'CANCELLAMI',
	'STOPP', 'ABMELDEN', 'ABBESTELLEN',
	'AFMELDEN', 'STOPPEN',
].join(', ');

export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'SUBSCRIBE'].join(', ');

/** Normalised keyword → the keyword as the list writes it (what `keyword` shows). */
export type KeywordList = ReadonlyMap<string, string>;

export interface ConsentKeywords {
	optOut: KeywordList;
	optIn: KeywordList;
}

export interface Consent {
	optOut: boolean;
	optIn: boolean;
	/** The list entry the message matched, when it matched one. */
	keyword?: string;
}

const AT_THE_ENDS = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/**
 * The form messages and keywords are compared in: accents and other marks removed (ARRÊT = ARRET),
 * invisible format characters removed, capitals, punctuation and symbols (emoji too) at both ends
 * dropped, and every run of spaces, dashes and underscores inside made one space
 * ("opt-out", "Opt_Out", "opt   out" → "OPT OUT").
 */
export function normaliseReply(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\p{M}\p{Cf}]/gu, '')
		.toUpperCase()
		.replace(AT_THE_ENDS, '')
		.replace(/[\s\p{Pd}_]+/gu, ' ');
}

/** A comma-separated list (or lines) → its keywords; entries that are empty once normalised are skipped. */
export function parseKeywords(list: unknown): KeywordList {
	const entries = Array.isArray(list) ? list.map(String) : typeof list === 'string' ? list.split(/[,\n]/) : [];
	const keywords = new Map<string, string>();
	for (const entry of entries) {
		const normal = normaliseReply(entry);
		if (normal !== '' && !keywords.has(normal)) keywords.set(normal, entry.trim());
	}
	return keywords;
}

/** Item types that are messages from the user (events.ts, EVENT_TYPES). */
const USER_MESSAGES = new Set(['text', 'suggestionResponse', 'location', 'file']);

/**
 * What an event says about consent, or undefined for events that are not the user's (receipts,
 * typing, server and launch events), which get no fields.
 * - User messages: their text, and a chip's postback data, against both lists; opt-out is checked
 *   first, so a word in both lists opts out.
 * - RBM's own UNSUBSCRIBE / SUBSCRIBE user events (the unsubscribe button of Google Messages) opt
 *   out / in whatever the lists hold:
 *   https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks
 */
export function consentOf(item: IDataObject, keywords: ConsentKeywords): Consent | undefined {
	if (item.type === 'UNSUBSCRIBE') return { optOut: true, optIn: false };
	if (item.type === 'SUBSCRIBE') return { optOut: false, optIn: true };
	if (typeof item.type !== 'string' || !USER_MESSAGES.has(item.type)) return undefined;
	const replies = [item.text, item.postbackData].filter((v): v is string => typeof v === 'string').map(normaliseReply);
	for (const [list, flag] of [[keywords.optOut, 'optOut'], [keywords.optIn, 'optIn']] as const) {
		for (const reply of replies) {
			const keyword = list.get(reply);
			if (keyword !== undefined) return { optOut: flag === 'optOut', optIn: flag === 'optIn', keyword };
		}
	}
	return { optOut: false, optIn: false };
}
