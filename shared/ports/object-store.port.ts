export interface ObjectInfo {
  bucket: string;
  name: string;
  size: number;
  contentType: string;
  metadata: Record<string, string>;
  /** Monotonic object generation number, as in Cloud Storage. */
  generation: string;
  timeCreated: string;
  md5Hash: string;
}

export interface PutOptions {
  contentType: string;
  metadata?: Record<string, string>;
}

/** Object storage. Writing an object emits an object-finalized event for its bucket. */
export interface ObjectStore {
  /** Store bytes or the file at a local path. */
  put(bucket: string, name: string, body: Buffer | { path: string }, opts: PutOptions): Promise<ObjectInfo>;
  get(bucket: string, name: string): Promise<Buffer>;
  /** Copy an object to a local file (for ffmpeg). */
  download(bucket: string, name: string, destPath: string): Promise<void>;
  stat(bucket: string, name: string): Promise<ObjectInfo | null>;
  /** A URL a browser can fetch until it expires. */
  signedUrl(bucket: string, name: string, expiresInSeconds: number): Promise<string>;
}
