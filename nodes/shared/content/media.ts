import type { ContentInfo, Media, UploadedRbmFile } from './types';
import { optionalText } from './types';

export interface MediaInput {
	source?: 'url' | 'uploaded';
	fileUrl?: unknown;
	thumbnailUrl?: unknown;
	forceRefresh?: boolean;
	uploadedFileName?: unknown;
	uploadedThumbnailName?: unknown;
}

/** Text with surrounding spaces removed (URLs and file names), or undefined when empty. */
const trimmedText = (value: unknown): string | undefined => {
	const text = optionalText(value);
	return typeof text === 'string' ? text.trim() : text;
};

/** A file by URL (`contentInfo`) or by the name File › Upload returned (`uploadedRbmFile`). */
export function buildFile(input: MediaInput): { contentInfo: ContentInfo } | { uploadedRbmFile: UploadedRbmFile } {
	if (input.source === 'uploaded') {
		const uploadedRbmFile: UploadedRbmFile = { fileName: trimmedText(input.uploadedFileName) ?? '' };
		const thumbnailName = trimmedText(input.uploadedThumbnailName);
		if (thumbnailName) uploadedRbmFile.thumbnailName = thumbnailName;
		return { uploadedRbmFile };
	}
	const contentInfo: ContentInfo = { fileUrl: trimmedText(input.fileUrl) ?? '' };
	const thumbnailUrl = trimmedText(input.thumbnailUrl);
	if (thumbnailUrl) contentInfo.thumbnailUrl = thumbnailUrl;
	if (input.forceRefresh) contentInfo.forceRefresh = true;
	return { contentInfo };
}

/**
 * Card media: only when a file was given, so a text-only card stays valid. Alt text goes with the
 * media (`media.contentDescription`) when it is not empty; without media there is nothing to describe.
 */
export function buildCardMedia(input: MediaInput & { height?: string; altText?: unknown }): Media | undefined {
	const hasFile = input.source === 'uploaded' ? trimmedText(input.uploadedFileName) : trimmedText(input.fileUrl);
	if (!hasFile) return undefined;
	const media: Media = { height: (input.height as Media['height']) ?? 'MEDIUM' };
	const altText = trimmedText(input.altText);
	// Not a string (an object from an expression): passed on for the check to say "must be text".
	if (altText !== '' && altText !== undefined) media.contentDescription = altText;
	return { ...media, ...buildFile(input) };
}
