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

const str = (value: unknown): string | undefined => {
	const text = optionalText(value);
	return typeof text === 'string' ? text.trim() : text;
};

/** A file by URL (`contentInfo`) or by the name File › Upload returned (`uploadedRbmFile`). */
export function buildFile(input: MediaInput): { contentInfo: ContentInfo } | { uploadedRbmFile: UploadedRbmFile } {
	if (input.source === 'uploaded') {
		const uploadedRbmFile: UploadedRbmFile = { fileName: str(input.uploadedFileName) ?? '' };
		const thumbnailName = str(input.uploadedThumbnailName);
		if (thumbnailName) uploadedRbmFile.thumbnailName = thumbnailName;
		return { uploadedRbmFile };
	}
	const contentInfo: ContentInfo = { fileUrl: str(input.fileUrl) ?? '' };
	const thumbnailUrl = str(input.thumbnailUrl);
	if (thumbnailUrl) contentInfo.thumbnailUrl = thumbnailUrl;
	if (input.forceRefresh) contentInfo.forceRefresh = true;
	return { contentInfo };
}

/**
 * Card media: only when a file was given, so a text-only card stays valid. Alt text goes with the
 * media (`media.contentDescription`) when it is not empty; without media there is nothing to describe.
 */
export function buildCardMedia(input: MediaInput & { height?: string; altText?: unknown }): Media | undefined {
	const hasFile = input.source === 'uploaded' ? str(input.uploadedFileName) : str(input.fileUrl);
	if (!hasFile) return undefined;
	const media: Media = { height: (input.height as Media['height']) ?? 'MEDIUM' };
	const altText = str(input.altText);
	// Not a string (an object from an expression): passed on for the check to say "must be text".
	if (altText !== '' && altText !== undefined) media.contentDescription = altText;
	return { ...media, ...buildFile(input) };
}
