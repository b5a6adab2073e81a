/** Decoding .env bytes: text or a reason (with the line) why the file is not text. */

export type DecodedText = { text: string } | { problem: { line: number; message: string } };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Where the first NUL byte or invalid UTF-8 lead/continuation byte is, if any. */
function firstBadByte(bytes: Uint8Array): { offset: number; nul: boolean } | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0) return { offset: i, nul: true };
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra === -1 || i + extra >= bytes.length) {
      return { offset: i, nul: false };
    }
    for (let k = 1; k <= extra; k += 1) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return { offset: i, nul: false };
    }
    i += extra + 1;
  }
  return undefined;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line += 1;
  return line;
}

export function decodeEnvBytes(bytes: Uint8Array): DecodedText {
  const bad = firstBadByte(bytes);
  if (!bad) {
    try {
      return { text: decoder.decode(bytes) };
    } catch {
      // Overlong or surrogate sequences pass the quick scan but not the strict decoder.
      return { problem: { line: 1, message: 'is not valid UTF-8 text; it was not parsed' } };
    }
  }
  const line = lineAt(bytes, bad.offset);
  const message = bad.nul
    ? `is binary (a NUL byte on line ${line}), not a .env file; it was not parsed`
    : `is not valid UTF-8 (line ${line}); it was not parsed`;
  return { problem: { line, message } };
}
