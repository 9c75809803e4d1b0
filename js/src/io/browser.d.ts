// Type declarations for js/src/io/browser.mjs and the namespace functions
// installIO adds (keras.models.list_models ..., keras.io.browserFiles). The
// shapes are TF.js 4.22's (tfjs-core src/io/types.ts), so TF.js's handlers
// and these interoperate.

/** A weight's entry in a weights manifest: its name, shape and dtype, in the order of the weight bytes. */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64' | 'float16' | 'uint8' | 'uint16';
  /** Stored quantized: values are q * scale + min (uint8, uint16) or half floats (float16). */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number; original_dtype?: string };
  group?: string;
}

/** TF.js's ModelArtifacts: what a save handler receives and a load handler returns. */
export interface ModelArtifacts {
  /** The Keras model config ({class_name, config}, with keras_version and backend). */
  modelTopology?: {} | ArrayBuffer;
  weightSpecs?: WeightsManifestEntry[];
  /** The weights' bytes; the handlers here return one ArrayBuffer and accept TF.js's array of them too. */
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: {};
  userDefinedMetadata?: {};
  signature?: {};
  modelInitializer?: {};
  initializerSignature?: {};
}

/** What browserFiles gives for one .keras file: its bytes, for the router to read. */
export interface KerasFileBytes {
  format: 'keras';
  kerasBytes: Uint8Array;
}

/** What a store records of a saved model; listModels reports it by URL. */
export interface ModelArtifactsInfo {
  /** A Date from IndexedDB; an ISO date string from localStorage (it is stored as JSON there, as TF.js does). */
  dateSaved: Date | string;
  modelTopologyType: 'JSON' | 'GraphDef';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** TF.js's SaveResult; an http save adds the server's responses. */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: Response[];
}

/** TF.js's IOHandler: save, load or both. */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/**
 * The IOHandler of indexeddb://name, localstorage://name, downloads://name
 * (save only) or http(s)://… (load a model.json; save POSTs a multipart
 * form), or null for any other string. where prefixes its errors.
 */
export function browserHandler(url: string, where?: string): IOHandler | null;

/** An IOHandler that loads File objects: a model.json with its weight files, or one .keras file. */
export function browserFiles(files: ArrayLike<Blob & { name?: string }>, where?: string): { load(): Promise<ModelArtifacts | KerasFileBytes> };

export function listModels(where?: string): Promise<Record<string, ModelArtifactsInfo>>;
export function removeModel(url: string, where?: string): Promise<ModelArtifactsInfo>;
export function copyModel(src: string, dst: string, where?: string): Promise<ModelArtifactsInfo>;
export function moveModel(src: string, dst: string, where?: string): Promise<ModelArtifactsInfo>;

/** keras.models' model-store functions (tf.io's, under Keras's snake_case and TF.js's camelCase). */
export interface ModelStores {
  /** Every model in the browser stores (indexeddb://, localstorage://), by URL; {} where neither exists (Node). */
  list_models(): Promise<Record<string, ModelArtifactsInfo>>;
  /** Deletes the model at an indexeddb:// or localstorage:// URL; resolves to what was stored of it. */
  remove_model(url: string): Promise<ModelArtifactsInfo>;
  /** Copies a model from any URL that loads (a store, http(s)://) to any that saves (a store, downloads://). */
  copy_model(src: string, dst: string): Promise<ModelArtifactsInfo>;
  /** Copies a model out of a store, then removes it there (only once the copy is written). */
  move_model(src: string, dst: string): Promise<ModelArtifactsInfo>;
  listModels(): Promise<Record<string, ModelArtifactsInfo>>;
  removeModel(url: string): Promise<ModelArtifactsInfo>;
  copyModel(src: string, dst: string): Promise<ModelArtifactsInfo>;
  moveModel(src: string, dst: string): Promise<ModelArtifactsInfo>;
}

/** keras.io: TF.js's tf.io functions for the browser. */
export interface IO {
  /** tf.io.browserFiles: an IOHandler over an <input type=file>'s files (model.json + .bin files, or one .keras file). */
  browserFiles(files: ArrayLike<Blob & { name?: string }>): { load(): Promise<ModelArtifacts | KerasFileBytes> };
  listModels(): Promise<Record<string, ModelArtifactsInfo>>;
  removeModel(url: string): Promise<ModelArtifactsInfo>;
  copyModel(src: string, dst: string): Promise<ModelArtifactsInfo>;
  moveModel(src: string, dst: string): Promise<ModelArtifactsInfo>;
}
