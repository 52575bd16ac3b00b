/**
 * What the container object needs from an open path (v2 in open_v2.ts, legacy in legacy.ts):
 * block access and the public fields. Not part of the public API.
 *
 * @module
 */
import type { IndexColumns } from "../format/index_columns.ts";
import type { SeekTable } from "../format/ksek.ts";
import type { Locator } from "../format/loca.ts";
import type { JsonObject } from "../format/meta.ts";
import type { SignatureRecord } from "../format/signature.ts";
import type { TableDirectory } from "../format/tdir.ts";
import type { ByteSource, TrackInfo } from "../format/types.ts";
import type { SignatureInfo } from "./types.ts";

/** What block access needs beyond the public fields. */
export interface Internals {
  src: ByteSource;
  blockCount: number;
  chunkCount: number;
  encrypted: boolean;
  legacy: boolean;
  /** OpenOptions.prefetch. */
  prefetch: boolean;
  /** Default of readBlock's `verify`. */
  verifyBlocks: boolean;
  /** Every block is checked (trusted container). */
  mustVerify: boolean;
  trackIds: string[];
  page(p: number): Promise<{ first: number; cols: IndexColumns }>;
  pageOf(i: number): number;
  /** Every page in order, checked, read in large reads (full verification); absent for legacy. */
  allPages?(): AsyncIterable<{ first: number; cols: IndexColumns }>;
  hash(c: number): Promise<Uint8Array | null>;
  plainLength?(i: number, cols: IndexColumns, row: number): Promise<number>;
}

/** The public fields of a container, as an open path found them. */
export interface Fields {
  version: 1 | 2;
  profile: "v1" | "v2" | "legacy";
  size: number;
  tracks: TrackInfo[];
  /** Track t's seek table (decoded and checked on first use). */
  table(t: number): SeekTable;
  meta: JsonObject;
  safe: JsonObject | null;
  livc: Uint8Array | null;
  root: Uint8Array | null;
  locator: Locator | null;
  directory: TableDirectory | null;
  signers: SignatureRecord[];
  trusted: boolean;
  signatures(): Promise<SignatureInfo[]>;
}
