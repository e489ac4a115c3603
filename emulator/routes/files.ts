/**
 * files.create (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/files/create):
 * by URL (POST /v1/files, body checked against the schema) or raw bytes (POST /upload/v1/files).
 */
import { randomBytes } from 'node:crypto';
import { agentLookupFailed, json, parseJsonObject, shortAgentId, countedInvalid } from '../http';
import { checkMessage } from '../schema';
import type { HttpResult } from '../types';
import type { RouteContext } from './context';

export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export const SUPPORTED_MIME = new Set([
	'image/jpeg', 'image/jpg', 'image/gif', 'image/png',
	'video/h263', 'video/m4v', 'video/mp4', 'video/mpeg', 'video/mpeg4', 'video/webm',
	'audio/aac', 'audio/mp3', 'audio/mpeg', 'audio/mpg', 'audio/mp4', 'audio/mp4-latm', 'audio/3gpp',
	'application/ogg', 'audio/ogg', 'application/pdf',
]);

const newName = (): string => `files/${randomBytes(12).toString('hex')}`;

function isHttpUrl(v: unknown): boolean {
	if (typeof v !== 'string' || v.length > 2048) return false;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

export function createFileFromUrl(ctx: RouteContext): HttpResult {
	const { core, url, body } = ctx;
	const bad = countedInvalid(core.stats);
	const parsed = parseJsonObject(body);
	if (!parsed.ok) return bad(parsed.message);
	const checked = checkMessage('CreateFileRequest', parsed.value);
	const f = checked.value;
	const agent = url.searchParams.get('agentId') ?? (typeof f.agentId === 'string' ? f.agentId : '');
	if (!agent) return agentLookupFailed();
	const violation = checked.violations.find((v) => !(v.kind === 'required' && v.jsonPath === 'agentId'));
	if (violation) return bad(violation.message, violation.field);
	if (!isHttpUrl(f.fileUrl)) return bad(`Invalid value at 'file_url': fileUrl must be a public http(s) URL.`, 'file_url');
	if (f.thumbnailUrl !== undefined && !isHttpUrl(f.thumbnailUrl)) {
		return bad(`Invalid value at 'thumbnail_url': thumbnailUrl must be a public http(s) URL.`, 'thumbnail_url');
	}
	const name = newName();
	core.stats.files.push({
		name,
		agentId: shortAgentId(agent),
		source: 'url',
		fileUrl: f.fileUrl as string,
		...(typeof f.thumbnailUrl === 'string' ? { thumbnailUrl: f.thumbnailUrl } : {}),
		createdAt: new Date().toISOString(),
	});
	return json(200, { name });
}

export function uploadFile(ctx: RouteContext): HttpResult {
	const { core, url, req, body } = ctx;
	const agent = url.searchParams.get('agentId');
	if (!agent) return agentLookupFailed();
	const mime = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (!SUPPORTED_MIME.has(mime)) {
		return countedInvalid(core.stats)(`Unsupported media type "${mime || '(none)'}".`, 'content_type');
	}
	if (body.length === 0) {
		return countedInvalid(core.stats)('The uploaded file is empty.', 'media');
	}
	if (body.length > MAX_FILE_BYTES) {
		return countedInvalid(core.stats)('File exceeds the maximum size of 100 MiB.', 'media');
	}
	const name = newName();
	core.stats.files.push({
		name,
		agentId: shortAgentId(agent),
		source: 'upload',
		mimeType: mime,
		sizeBytes: body.length,
		createdAt: new Date().toISOString(),
	});
	return json(200, { name });
}
