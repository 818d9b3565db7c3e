/**
 * The segment files: their names, the chunk they are read and written in, the wording of their
 * errors, and writing a snapshot segment (a new segment holding only the undelivered datums).
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { FILE_MODE } from "./lock.js";
import { encodeDatum, type LoggedDatum } from "./record-codec.js";

export type WriteFn = (fd: number, data: string) => void;

/** A segment file's name: its index, zero-padded so that names sort in order. */
export const SEGMENT = /^segment-(\d{12})\.log$/;

/** Segments are read, and snapshots written, this many bytes at a time: never a whole file in memory. */
export const CHUNK_BYTES = 1024 * 1024;

export function segmentName(index: number): string {
  return `segment-${String(index).padStart(12, "0")}.log`;
}

export function errorText(error: NodeJS.ErrnoException): string {
  return error.code === "ENOSPC" ? "the disk is full" : `${error.code ?? error.name}: ${error.message}`;
}

/**
 * Writes `pending` to segment `index` through a temporary file, fsynced, then renamed into place;
 * returns the open descriptor for appending. Throws on failure, leaving no partial segment behind.
 */
export function writeSnapshot(
  dir: string,
  index: number,
  pending: Iterable<LoggedDatum>,
  write: WriteFn,
): { name: string; fd: number; bytes: number; count: number } {
  const name = segmentName(index);
  const temp = join(dir, `${name}.tmp`);
  const fd = openSync(temp, "w", FILE_MODE);
  let bytes = 0;
  let count = 0;
  try {
    let chunk = "";
    for (const entry of pending) {
      chunk += encodeDatum(entry.seq, entry);
      count++;
      if (chunk.length >= CHUNK_BYTES) {
        write(fd, chunk);
        bytes += Buffer.byteLength(chunk);
        chunk = "";
      }
    }
    write(fd, chunk);
    bytes += Buffer.byteLength(chunk);
    fsyncSync(fd);
    renameSync(temp, join(dir, name));
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Nothing to remove.
    }
    throw error;
  }
  return { name, fd, bytes, count };
}

/** Deletes the named segments of `dir`; returns whether none is left (one already gone counts as deleted). */
export function removeSegments(dir: string, names: Iterable<string>): boolean {
  let removed = true;
  for (const name of names) {
    try {
      unlinkSync(join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") removed = false;
    }
  }
  return removed;
}
