/**
 * Splits text into lines while it is read backwards, chunk by chunk from the end of a file: the
 * reader never holds more than one chunk and one partial line, however large the file.
 * Works on bytes (a chunk may end inside a UTF-8 character; a line is decoded only once whole).
 */
export class ReverseLineSplitter {
  /** The start of a line whose beginning lies in an earlier (not yet read) chunk. */
  #partial: Uint8Array = new Uint8Array(0);

  /** Takes the chunk just before the previous one; returns its whole lines, last line first. */
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(chunk.length + this.#partial.length);
    joined.set(chunk, 0);
    joined.set(this.#partial, chunk.length);
    const lines: Uint8Array[] = [];
    let end = joined.length;
    for (let index = joined.length - 1; index >= 0; index -= 1) {
      if (joined[index] !== 0x0a) continue;
      if (index + 1 < end) lines.push(joined.subarray(index + 1, end));
      end = index;
    }
    this.#partial = joined.slice(0, end);
    return lines;
  }

  /** After the first chunk of the file: the first line, if it is not empty. */
  finish(): Uint8Array | null {
    const first = this.#partial.length > 0 ? this.#partial : null;
    this.#partial = new Uint8Array(0);
    return first;
  }
}
