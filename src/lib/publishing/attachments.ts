/**
 * Rules for the original documents staff attach (PDF, Word, Excel, WPS): which types are taken —
 * judged by the file's own bytes, never by its name or the browser's claim — how big, what the
 * stored name may contain, and the headers a download is always sent with.
 */

/** Largest attachment: a scanned announcement of a few dozen pages. */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

/** What staff read when a file is over the limit (code PAYLOAD_TOO_LARGE, as every too-large body). */
export const ATTACHMENT_TOO_LARGE_MESSAGE = `附件不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB，请压缩或拆分后再上传。`;

/** Types found in the bytes (by `file-type`) that are taken, with the extension the stored name gets. */
const DETECTED_TYPES: Record<string, { mediaType: string; extension: string }> = {
  'application/pdf': { mediaType: 'application/pdf', extension: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
  },
};

/**
 * Old Word and Excel files and WPS's own formats share one container (Compound File Binary), which
 * the bytes cannot tell apart; the name's extension then chooses among these, and only these.
 */
const COMPOUND_FILE_EXTENSIONS: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
};

const COMPOUND_FILE = 'application/x-cfb';

/** Every type a download may be sent as; anything else goes out as application/octet-stream. */
const SERVED_TYPES = new Set([
  ...Object.values(DETECTED_TYPES).map((type) => type.mediaType),
  ...Object.values(COMPOUND_FILE_EXTENSIONS),
]);

export const ATTACHMENT_TYPES_TEXT = 'PDF、Word（DOC/DOCX）、Excel（XLS/XLSX）或 WPS 文档（WPS/ET）';

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The type to store, from what the bytes are (`detected`, null when unknown) and, for compound files, the name. */
export function attachmentType(
  detectedMime: string | null,
  fileName: string,
): { ok: true; mediaType: string; extension: string } | { ok: false } {
  if (detectedMime && DETECTED_TYPES[detectedMime]) return { ok: true, ...DETECTED_TYPES[detectedMime] };
  if (detectedMime === COMPOUND_FILE) {
    const extension = extensionOf(fileName);
    const mediaType = COMPOUND_FILE_EXTENSIONS[extension];
    if (mediaType) return { ok: true, mediaType, extension };
  }
  return { ok: false };
}

const NAME_MAX_CHARACTERS = 80;

/**
 * The name as uploaded, made safe to store and to send: no folders, no control or reserved
 * characters, at most 80 characters, and the extension of the type the bytes showed.
 */
export function cleanAttachmentName(uploaded: string, extension: string): string {
  const lastPart = uploaded.split(/[/\\]/).pop() ?? '';
  const stem = lastPart
    .replace(/\.[^.]*$/, '')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f<>:"|?*%;]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const kept = [...stem].slice(0, NAME_MAX_CHARACTERS - extension.length - 1).join('');
  return `${kept || '附件'}.${extension}`;
}

/** The Content-Type a download is sent with: the stored type when it is one of ours, else a neutral one. */
export function servedMediaType(stored: string): string {
  return SERVED_TYPES.has(stored) ? stored : 'application/octet-stream';
}

/** Always a download (never shown inline), with the name in plain ASCII and in UTF-8 (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const SIZE_UNITS = ['B', 'KB', 'MB'] as const;

/** 「512 B」「1.5 MB」: a file's size as the attachment lists show it. */
export function formatFileSize(bytes: number): string {
  const power = Math.min(2, Math.floor(Math.log(Math.max(bytes, 1)) / Math.log(1024)));
  return `${(bytes / 1024 ** power).toFixed(power === 0 ? 0 : 1)} ${SIZE_UNITS[power]}`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.ms-works': 'WPS',
};

/** The kind of document, as people name it (PDF, Word, Excel, WPS); 文件 for any other stored type. */
export function attachmentTypeLabel(mediaType: string): string {
  return TYPE_LABELS[mediaType] ?? '文件';
}
