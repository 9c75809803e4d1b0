// Type declarations for keraswasm: Keras's Sequential API in JavaScript.
// Names follow Keras (snake_case); every option is also accepted in
// camelCase (TF.js). Keras defaults apply wherever an option is left out.
// Every name of keras.layers, keras.optimizers, keras.losses … is declared in
// catalog.d.ts, generated from the runtime's table of names; this file adds
// exact argument types to some and may declare no other name
// (js/test/types.test.mjs).

import type {
  CatalogLayers, CatalogOptimizers, CatalogLosses, CatalogMetrics, CatalogActivations,
  CatalogInitializers, CatalogRegularizers, CatalogConstraints, CatalogCallbacks,
} from './catalog';
export type {
  LayersNames, OptimizersNames, LossesNames, MetricsNames, ActivationsNames,
  InitializersNames, RegularizersNames, ConstraintsNames, CallbacksNames,
} from './catalog';

/** Options of loadKeras. */
export interface LoadOptions {
  /** Where keras.wasm is; default: dist/keras.wasm in this package (written by `make wasm`). */
  wasmURL?: string | URL;
  /** Go's wasm_exec.js matching the runtime; default: wasm_exec.js beside the wasm. */
  wasmExecURL?: string | URL;
  /** A compiled runtime (skips fetching and compiling). Not with worker. */
  wasmModule?: WebAssembly.Module;
  /** Where verbose output and summaries go; default console.log. */
  print?: (line: string) => void;
  /** Run the runtime in a Web Worker (a worker thread in Node): every model method returns a Promise. */
  worker?: boolean;
  /**
   * With worker: how many Web Workers train each model (data parallel: each
   * computes the gradient of a slice of every batch; default 1). fit then
   * takes x, y, batch_size, epochs, shuffle, sample_weight, JS callbacks and
   * verbose: 0, and refuses the rest with NotImplementedError.
   */
  workers?: number;
  /** The worker script; default: worker.mjs in this package. */
  workerURL?: string | URL;
  /** The runtime's memory limit in bytes (keras.config.set_memory_limit); default: what the wasm memory can still grow to, less a margin. */
  memoryLimit?: number;
  /**
   * Which SIMD kernels the runtime uses (also with worker). 'default' (or
   * absent): results equal native Go's bit for bit, on every engine.
   * 'relaxed': GEMM's and the optimizers' multiply-adds as relaxed SIMD's
   * f32x4.relaxed_madd, faster where the engine fuses them, results within
   * float32 rounding of the default but not bit-identical (and may differ
   * between machines). Detected with WebAssembly.validate: an engine without
   * relaxed SIMD (Node 20 without --experimental-wasm-relaxed-simd) rejects
   * with NotImplementedError; another string with ValueError (naming the
   * nearest value), a non-string with TypeError.
   */
  simd?: 'default' | 'relaxed';
}

/** keras.config.get_memory_info(): the runtime's one memory budget, in bytes. */
export interface MemoryInfo {
  current: number;
  peak: number;
  limit: number;
  /** The largest limit set_memory_limit takes (0: none). */
  ceiling: number;
  /** Who holds memory now, the largest first: models by name, and the data of calls in progress. */
  holders: { name: string; model: boolean; bytes: number }[];
}

/** keras.config: the runtime's memory budget (Promises with a worker). */
export interface Config<R> {
  set_memory_limit(bytes: number): R extends void ? void : Promise<void>;
  setMemoryLimit(bytes: number): R extends void ? void : Promise<void>;
  get_memory_limit(): R extends void ? number : Promise<number>;
  getMemoryLimit(): R extends void ? number : Promise<number>;
  get_memory_info(): R extends void ? MemoryInfo : Promise<MemoryInfo>;
  getMemoryInfo(): R extends void ? MemoryInfo : Promise<MemoryInfo>;
}

/** loadKeras loads the runtime and resolves to the keras namespace. */
export function loadKeras(options?: LoadOptions & { worker?: false }): Promise<Keras>;
export function loadKeras(options: LoadOptions & { worker: true }): Promise<WorkerKeras>;
export default loadKeras;

/** A keras tensor: float32 values in row-major order and a shape. */
export class Tensor {
  constructor(data: Float32Array, shape: number[], dtype?: 'float32' | 'int32' | 'bool');
  readonly data: Float32Array;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly rank: number;
  readonly size: number;
  /** Nested arrays (a number for a scalar). Synchronous; awaiting it also works, as in TF.js. */
  array(): NestedArray;
  arraySync(): NestedArray;
  dataSync(): Float32Array;
  reshape(shape: number[]): Tensor;
}

export type NestedArray = number | NestedArray[];
/** Data: nested arrays of numbers, a typed array (1-D) or {data, shape}, or a keras tensor. */
export type TensorLike = Tensor | NestedArray | ArrayLike<number> | { data: ArrayLike<number>; shape: number[] };

/** A Keras config object made in JS; it serializes as {class_name, config}. */
export class KerasObject {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  get_config(): Record<string, unknown>;
  getConfig(): Record<string, unknown>;
  getClassName(): string;
  toJSON(): ConfigDict;
}
export interface ConfigDict { class_name: string; config?: Record<string, unknown> }

/** Options of any layer (Keras's keyword arguments), in snake_case or camelCase. */
export interface LayerOptions {
  name?: string;
  trainable?: boolean;
  dtype?: 'float32';
  input_shape?: (number | null)[]; inputShape?: (number | null)[];
  input_dim?: number; inputDim?: number;
  input_length?: number; inputLength?: number;
  batch_size?: number; batchSize?: number;
  batch_input_shape?: (number | null)[]; batchInputShape?: (number | null)[];
  activation?: Activation;
  use_bias?: boolean; useBias?: boolean;
  kernel_initializer?: Initializer; kernelInitializer?: Initializer;
  bias_initializer?: Initializer; biasInitializer?: Initializer;
  kernel_regularizer?: Regularizer; kernelRegularizer?: Regularizer;
  bias_regularizer?: Regularizer; biasRegularizer?: Regularizer;
  activity_regularizer?: Regularizer; activityRegularizer?: Regularizer;
  kernel_constraint?: Constraint; kernelConstraint?: Constraint;
  bias_constraint?: Constraint; biasConstraint?: Constraint;
  [option: string]: unknown;
}

/** A TF.js IOHandler: model.save calls save(artifacts), keras.models.load_model calls load(). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts | { format: 'keras'; kerasBytes: Uint8Array | ArrayBuffer }>;
}
/** TF.js's ModelArtifacts of a Layers model (weightData: little-endian bytes in weightSpecs order). */
export interface ModelArtifacts {
  modelTopology?: Record<string, unknown>;
  format?: string; generatedBy?: string; convertedBy?: string | null;
  trainingConfig?: Record<string, unknown>;
  weightSpecs?: { name: string; shape: number[]; dtype: string; group?: string }[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  [k: string]: unknown;
}
/** TF.js's SaveResult. */
export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes?: number; weightSpecsBytes?: number; weightDataBytes?: number };
  [k: string]: unknown;
}
/** Where a model is saved or loaded: an IOHandler, a URL (file://, indexeddb://, localstorage://, downloads://, http(s)://) or a path (Node; .keras and .weights.h5 by extension). */
export type Destination = string | IOHandler;
export interface ModelCheckpointOptions {
  monitor?: string; verbose?: number; save_best_only?: boolean; save_weights_only?: boolean;
  mode?: 'auto' | 'min' | 'max'; save_freq?: 'epoch'; initial_value_threshold?: number | null;
}
export interface BackupAndRestoreOptions { save_freq?: 'epoch' | number; double_checkpoint?: boolean; delete_checkpoint?: boolean }
export interface SaveOptions { overwrite?: boolean; include_optimizer?: boolean; includeOptimizer?: boolean; save_format?: 'keras' | 'tfjs' | null }
export interface LoadModelOptions { compile?: true; custom_objects?: null; safe_mode?: boolean }

export type Activation = string | TaggedFunction;
export type Initializer = string | KerasObject | ConfigDict;
export type Regularizer = string | KerasObject | ConfigDict;
export type Constraint = string | KerasObject | ConfigDict;
export type Optimizer = string | KerasObject | ConfigDict;
export type Loss = string | KerasObject | ConfigDict | TaggedFunction | CustomFunction;
export type Metric = string | KerasObject | ConfigDict | TaggedFunction | CustomFunction;
/** A size given as one number or one per dimension (kernel_size: 3 or [3, 3]). */
export type Size = number | number[];

/** A Keras function by name (keras.losses.mse, keras.activations.relu): callable on tensors. */
export interface TaggedFunction {
  (...tensors: TensorLike[]): Tensor;
  readonly keras_name: string;
}
/** A custom metric or loss: (y_true, y_pred) => a number or a tensor (one value per sample, or one). */
export type CustomFunction = (y_true: Tensor, y_pred: Tensor) => Tensor | number | ArrayLike<number>;

/**
 * A Keras constructor: positional arguments in Keras's order, then one
 * options object (snake_case or camelCase), or one TF.js-style object.
 * Works with or without new. The core checks the values and rejects
 * unknown options.
 */
export interface KerasConstructor {
  (...args: any[]): KerasObject;
  new (...args: any[]): KerasObject;
  readonly kind: string;
  readonly class_name: string;
}

/** A constructor whose first positional argument is P (Dense's units, Dropout's rate ...). */
export interface KerasConstructor1<P, O> extends KerasConstructor {
  (first: P, options?: O): KerasObject;
  (options: O): KerasObject;
  new (first: P, options?: O): KerasObject;
  new (options: O): KerasObject;
}

/** keras.layers: every layer class of the core (catalog.d.ts), some with exact argument types here. */
export interface Layers extends CatalogLayers {
  Dense: KerasConstructor1<number, LayerOptions & { units?: number }>;
  Activation: KerasConstructor1<Activation, LayerOptions>;
  Dropout: KerasConstructor1<number, LayerOptions & { rate?: number; noise_shape?: number[] | null; seed?: number }>;
  Flatten: KerasConstructor1<string, LayerOptions & { data_format?: string }>;
  /** Conv2D(filters, kernel_size, {strides, padding, activation, input_shape, ...}); kernel_size is a number or [h, w]. */
  Conv2D: KerasConstructor & {
    (filters: number, kernel_size: Size, options?: ConvOptions): KerasObject;
    (options: ConvOptions & { filters: number; kernel_size?: Size; kernelSize?: Size }): KerasObject;
  };
  MaxPooling2D: KerasConstructor1<Size, LayerOptions & { pool_size?: Size; poolSize?: Size; strides?: Size | null; padding?: 'valid' | 'same' }>;
  AveragePooling2D: KerasConstructor1<Size, PoolingOptions>;
  MaxPooling1D: KerasConstructor1<Size, PoolingOptions>;
  AveragePooling1D: KerasConstructor1<Size, PoolingOptions>;
  GlobalAveragePooling2D: KerasConstructor1<string, GlobalPoolingOptions>;
  GlobalMaxPooling2D: KerasConstructor1<string, GlobalPoolingOptions>;
  GlobalAveragePooling1D: KerasConstructor1<string, GlobalPoolingOptions>;
  GlobalMaxPooling1D: KerasConstructor1<string, GlobalPoolingOptions>;
  /** Reshape(target_shape): one entry may be -1, inferred. */
  Reshape: KerasConstructor1<number[], LayerOptions & { target_shape?: number[]; targetShape?: number[] }>;
  /** Permute(dims): a permutation of 1..rank. */
  Permute: KerasConstructor1<number[], LayerOptions & { dims?: number[] }>;
  RepeatVector: KerasConstructor1<number, LayerOptions & { n?: number }>;
  /** Bidirectional(layer, {merge_mode: 'concat' | 'sum' | 'mul' | 'ave', backward_layer, weights}): layer is a recurrent layer. */
  Bidirectional: KerasConstructor1<KerasObject, LayerOptions & { layer?: KerasObject; merge_mode?: 'concat' | 'sum' | 'mul' | 'ave'; mergeMode?: 'concat' | 'sum' | 'mul' | 'ave'; backward_layer?: KerasObject; backwardLayer?: KerasObject; weights?: TensorLike[] }>;
  /** TimeDistributed(layer): the layer applied to every time step with the same weights. */
  TimeDistributed: KerasConstructor1<KerasObject, LayerOptions & { layer?: KerasObject }>;
  ZeroPadding1D: KerasConstructor1<Size, LayerOptions & { padding?: Size; data_format?: string; dataFormat?: string }>;
  /** ZeroPadding2D(padding): n, [rows, cols] or [[top, bottom], [left, right]]. */
  ZeroPadding2D: KerasConstructor1<Size | number[][], LayerOptions & { padding?: Size | number[][]; data_format?: string; dataFormat?: string }>;
  Cropping1D: KerasConstructor1<Size, LayerOptions & { cropping?: Size }>;
  Cropping2D: KerasConstructor1<Size | number[][], LayerOptions & { cropping?: Size | number[][]; data_format?: string; dataFormat?: string }>;
  UpSampling1D: KerasConstructor1<number, LayerOptions & { size?: number }>;
  UpSampling2D: KerasConstructor1<Size, LayerOptions & { size?: Size; data_format?: string; dataFormat?: string; interpolation?: 'nearest' | 'bilinear' }>;
  SpatialDropout1D: KerasConstructor1<number, LayerOptions & { rate?: number; seed?: number }>;
  SpatialDropout2D: KerasConstructor1<number, LayerOptions & { rate?: number; data_format?: string; dataFormat?: string; seed?: number }>;
  GaussianNoise: KerasConstructor1<number, LayerOptions & { stddev?: number; seed?: number }>;
  GaussianDropout: KerasConstructor1<number, LayerOptions & { rate?: number; seed?: number }>;
  AlphaDropout: KerasConstructor1<number, LayerOptions & { rate?: number; noise_shape?: (number | null)[] | null; noiseShape?: (number | null)[] | null; seed?: number }>;
  ActivityRegularization: KerasConstructor1<number, LayerOptions & { l1?: number; l2?: number }>;
  PReLU: KerasConstructor1<Initializer, LayerOptions & {
    alpha_initializer?: Initializer; alphaInitializer?: Initializer; alpha_regularizer?: Regularizer; alphaRegularizer?: Regularizer;
    alpha_constraint?: Constraint; alphaConstraint?: Constraint; shared_axes?: number | number[] | null; sharedAxes?: number | number[] | null;
  }>;
  ThresholdedReLU: KerasConstructor1<number, LayerOptions & { theta?: number }>;
  /** Input(shape, batch_size, name): an InputLayer, as keras.Input. */
  Input: (shape: (number | null)[] | { shape: (number | null)[]; batch_size?: number; name?: string }, options?: LayerOptions) => KerasObject;
  /** Conv1D(filters, kernel_size, {strides, padding: 'valid' | 'same' | 'causal', dilation_rate, ...}) over (batch, steps, channels). */
  Conv1D: KerasConstructor & {
    (filters: number, kernel_size: number | [number], options?: Omit<ConvOptions, 'padding'> & { padding?: 'valid' | 'same' | 'causal' }): KerasObject;
    (options: Omit<ConvOptions, 'padding'> & { filters: number; kernel_size?: number | [number]; kernelSize?: number | [number]; padding?: 'valid' | 'same' | 'causal' }): KerasObject;
  };
  /** DepthwiseConv2D(kernel_size, {strides, padding, depth_multiplier, dilation_rate, ...}). */
  DepthwiseConv2D: KerasConstructor1<Size, Omit<ConvOptions, 'groups'> & { kernel_size?: Size; depth_multiplier?: number; depthwise_initializer?: unknown; depthwise_regularizer?: unknown; depthwise_constraint?: unknown }>;
  /** SeparableConv2D(filters, kernel_size, {strides, padding, depth_multiplier, ...}): depthwise then pointwise. */
  SeparableConv2D: KerasConstructor & {
    (filters: number, kernel_size: Size, options?: Omit<ConvOptions, 'groups'> & { depth_multiplier?: number; [k: string]: unknown }): KerasObject;
    (options: Omit<ConvOptions, 'groups'> & { filters: number; kernel_size?: Size; depth_multiplier?: number; [k: string]: unknown }): KerasObject;
  };
  /** Conv2DTranspose(filters, kernel_size, {strides, padding, output_padding, dilation_rate, ...}). */
  Conv2DTranspose: KerasConstructor & {
    (filters: number, kernel_size: Size, options?: Omit<ConvOptions, 'groups'> & { output_padding?: Size | null }): KerasObject;
    (options: Omit<ConvOptions, 'groups'> & { filters: number; kernel_size?: Size; output_padding?: Size | null }): KerasObject;
  };
  /** SeparableConv1D, DepthwiseConv1D and Conv1DTranspose: the 2-D layers' arguments with 1-tuples, over (batch, steps, channels). */
  SeparableConv1D: KerasConstructor;
  DepthwiseConv1D: KerasConstructor;
  Conv1DTranspose: KerasConstructor;
  /** BatchNormalization({axis: -1, momentum: 0.99, epsilon: 1e-3, center, scale, ...}): moving statistics non-trainable. */
  BatchNormalization: KerasConstructor1<number | number[], NormalizationOptions & { momentum?: number; moving_mean_initializer?: unknown; moving_variance_initializer?: unknown }>;
  /** LayerNormalization({axis: -1, epsilon: 1e-3, center, scale, ...}). */
  LayerNormalization: KerasConstructor1<number | number[], NormalizationOptions>;
  get: Getter<KerasObject>;
}

/** MaxPooling1D, AveragePooling1D/2D: pool_size, strides (null: pool_size), padding, data_format. */
export interface PoolingOptions extends LayerOptions {
  pool_size?: Size; poolSize?: Size; strides?: Size | null; padding?: 'valid' | 'same';
  data_format?: 'channels_last' | 'channels_first'; dataFormat?: string;
}
/** Global pooling: data_format, and keepdims to keep the spatial axes as 1. */
export interface GlobalPoolingOptions extends LayerOptions { data_format?: 'channels_last' | 'channels_first'; dataFormat?: string; keepdims?: boolean }
export interface NormalizationOptions extends LayerOptions {
  axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean;
  beta_initializer?: unknown; gamma_initializer?: unknown; beta_regularizer?: unknown; gamma_regularizer?: unknown;
  beta_constraint?: unknown; gamma_constraint?: unknown;
}

export interface ConvOptions extends LayerOptions {
  strides?: Size; padding?: 'valid' | 'same'; data_format?: string; dataFormat?: string;
  dilation_rate?: Size; dilationRate?: Size; groups?: number;
}

export interface SGDOptions { learning_rate?: number; lr?: number; momentum?: number; nesterov?: boolean; decay?: number; clipnorm?: number; clipvalue?: number; [k: string]: unknown }
export interface OptimizerOptions { learning_rate?: number; lr?: number; decay?: number; clipnorm?: number; clipvalue?: number; [k: string]: unknown }
export interface Optimizers extends CatalogOptimizers {
  SGD: KerasConstructor1<number, SGDOptions>;
  RMSprop: KerasConstructor1<number, OptimizerOptions & { rho?: number; momentum?: number; epsilon?: number; centered?: boolean }>;
  Adam: KerasConstructor1<number, OptimizerOptions & { beta_1?: number; beta_2?: number; epsilon?: number; amsgrad?: boolean }>;
  get: Getter<KerasObject>;
}
/** keras.losses: classes, and functions on tensors (keras.losses.mse(y_true, y_pred)). */
export interface Losses extends CatalogLosses { get: Getter<KerasObject | TaggedFunction> }
/** keras.metrics: classes, and functions on tensors. */
export interface Metrics extends CatalogMetrics { get: Getter<KerasObject | TaggedFunction> }
/** keras.activations: functions on tensors (keras.activations.relu(x)). */
export interface Activations extends CatalogActivations { get: Getter<TaggedFunction> }
export interface Initializers extends CatalogInitializers { get: Getter<KerasObject> }
export interface Regularizers extends CatalogRegularizers {
  get: Getter<KerasObject>;
  l1: KerasConstructor1<number, { l1?: number }>; l2: KerasConstructor1<number, { l2?: number }>;
  l1_l2: KerasConstructor & ((l1?: number, l2?: number) => KerasObject);
}
export interface Constraints extends CatalogConstraints { get: Getter<KerasObject> }

/** Keras's callback logs: loss, metrics and their val_ twins (and lr ...). */
export type Logs = Record<string, number>;

/** The hooks a callback may define, in Keras's (on_epoch_end) or TF.js's (onEpochEnd) spelling. */
export interface CallbackHooks {
  on_train_begin?(logs: Logs): void | Promise<void>; onTrainBegin?(logs: Logs): void | Promise<void>;
  on_train_end?(logs: Logs): void | Promise<void>; onTrainEnd?(logs: Logs): void | Promise<void>;
  on_epoch_begin?(epoch: number, logs: Logs): void | Promise<void>; onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  on_epoch_end?(epoch: number, logs: Logs): void | Promise<void>; onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  on_train_batch_begin?(batch: number, logs: Logs): void | Promise<void>; onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  on_train_batch_end?(batch: number, logs: Logs): void | Promise<void>; onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  on_batch_begin?(batch: number, logs: Logs): void; on_batch_end?(batch: number, logs: Logs): void;
  on_test_begin?(logs: Logs): void; on_test_end?(logs: Logs): void;
  on_test_batch_begin?(batch: number, logs: Logs): void; on_test_batch_end?(batch: number, logs: Logs): void;
  on_predict_begin?(logs: Logs): void; on_predict_end?(logs: Logs): void;
  on_predict_batch_begin?(batch: number, logs: Logs): void; on_predict_batch_end?(batch: number, logs: Logs): void;
  /** TF.js: called each time fit yields to the event loop. */
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
  [other: string]: unknown;
}

/** Base class of callbacks written in JS: subclass it and define hooks. */
export class Callback implements CallbackHooks {
  model: Sequential | WorkerSequential | null;
  params: { epochs?: number; steps?: number; verbose?: number; samples?: number; metrics?: string[] };
  set_model(model: Sequential | WorkerSequential): void;
  set_params(params: Record<string, unknown>): void;
  [other: string]: unknown;
}

/** What fit returns: the per-epoch logs. */
export class History extends Callback {
  history: Record<string, number[]>;
  epoch: number[];
}

export interface Callbacks extends CatalogCallbacks {
  Callback: typeof Callback;
  History: { new (): History; (): History };
  LambdaCallback: { new (hooks: Partial<Record<'on_epoch_begin' | 'on_epoch_end' | 'on_batch_begin' | 'on_batch_end' | 'on_train_begin' | 'on_train_end', (...args: any[]) => void>>): Callback; (hooks: Record<string, (...args: any[]) => void>): Callback };
  LearningRateScheduler: { new (schedule: (epoch: number, lr: number) => number, verbose?: number): Callback; (schedule: (epoch: number, lr: number) => number, verbose?: number): Callback };
  /** Backs the training state up to a directory (Node) or an indexeddb:// / localstorage:// name at each epoch end (or every save_freq batches), restores it when fit starts, removes it when training ends. In worker mode: save_freq epoch, workers: 1. */
  BackupAndRestore: {
    new (backup_dir: string, options?: BackupAndRestoreOptions): Callback;
    (backup_dir: string, options?: BackupAndRestoreOptions): Callback;
  };
  /** Saves at each epoch end to a path ('ckpt-{epoch:02d}-{val_loss:.2f}.keras'), URL or IOHandler; save_freq is 'epoch' only. In worker mode too (each save runs while the worker waits for on_epoch_end). */
  ModelCheckpoint: {
    new (filepath: Destination, options?: ModelCheckpointOptions): Callback;
    (filepath: Destination, options?: ModelCheckpointOptions): Callback;
  };
  EarlyStopping: KerasConstructor1<string, { monitor?: string; min_delta?: number; patience?: number; verbose?: number; mode?: 'auto' | 'min' | 'max'; baseline?: number | null; restore_best_weights?: boolean; start_from_epoch?: number }>;
  ReduceLROnPlateau: KerasConstructor1<string, { monitor?: string; factor?: number; patience?: number; verbose?: number; mode?: 'auto' | 'min' | 'max'; min_delta?: number; cooldown?: number; min_lr?: number }>;
  TerminateOnNaN: KerasConstructor;
  ProgbarLogger: KerasConstructor1<'samples' | 'steps', { count_mode?: 'samples' | 'steps' }>;
}

/**
 * Keras's get(identifier) of one kind (keras.layers.get, keras.losses.get, ...): a name or a config
 * dict gives the object the core makes (its full config), a function or keras object is returned as
 * is. An unknown name throws a ValueError, a Keras class not built here a NotImplementedError.
 */
export type Getter<T> = (identifier: string | ConfigDict | T) => T;

export type CallbackLike = KerasObject | Callback | CallbackHooks;

export interface CompileOptions {
  optimizer?: Optimizer;
  loss?: Loss;
  metrics?: Metric[];
  /** Metrics weighted by sample_weight (and class_weight); "weighted_" names one that clashes with a metric. */
  weighted_metrics?: Metric[]; weightedMetrics?: Metric[];
  [option: string]: unknown;
}

export interface FitOptions {
  batch_size?: number; batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2 | 'auto';
  callbacks?: CallbackLike[] | CallbackHooks;
  validation_split?: number; validationSplit?: number;
  validation_data?: [TensorLike, TensorLike] | [TensorLike, TensorLike, TensorLike]; validationData?: [TensorLike, TensorLike] | [TensorLike, TensorLike, TensorLike];
  shuffle?: boolean;
  class_weight?: Record<number, number>; classWeight?: Record<number, number>;
  sample_weight?: TensorLike; sampleWeight?: TensorLike;
  initial_epoch?: number; initialEpoch?: number;
  steps_per_epoch?: number; stepsPerEpoch?: number;
  validation_steps?: number; validation_batch_size?: number; validation_freq?: number;
  /** How often fit gives the event loop a turn: 'auto' (about every 25 ms, the default), 'batch', 'epoch', 'never', or milliseconds. In a worker the default is every 100 ms. */
  yield_every?: 'auto' | 'batch' | 'epoch' | 'never' | number; yieldEvery?: 'auto' | 'batch' | 'epoch' | 'never' | number;
}

export interface EvaluateOptions {
  batch_size?: number; batchSize?: number; verbose?: 0 | 1 | 2 | 'auto'; sample_weight?: TensorLike; steps?: number;
  callbacks?: CallbackLike[] | CallbackHooks; return_dict?: boolean; returnDict?: boolean;
}
/** verbose: 0 (Keras 2's default), 1 or 'auto' (a progress bar over the samples), 2 (its last line). */
export interface PredictOptions { batch_size?: number; batchSize?: number; verbose?: 0 | 1 | 2 | 'auto'; steps?: number; callbacks?: CallbackLike[] | CallbackHooks }

/**
 * What evaluate, train_on_batch and test_on_batch return without return_dict, as in Keras: the
 * loss alone for a model compiled without metrics, else [loss, ...metrics] in metrics_names
 * order. Which one depends on compile, which types cannot follow, so the type allows both uses
 * (`const [loss, acc] = model.evaluate(x, y)`, or `model.evaluate(x, y).toFixed(4)` without
 * metrics); `Array.isArray(score)` tells them apart where a model may be either.
 */
export type Score = number & number[];
/** return_dict: true (returnDict in TF.js's spelling): the result is {loss, metric: value, ...}. */
export type ReturnDict = { return_dict: true } | { returnDict: true };

/** One weight of a layer: its name ('kernel'), path ('dense/kernel'), shape and whether it is trainable now. */
export interface WeightInfo { name: string; path: string; shape: number[]; trainable: boolean }

/** One layer of a model. */
export interface LayerView {
  readonly name: string;
  readonly class_name: string;
  /** Setting it freezes (or unfreezes) the layer's weights from the next compile, as in Keras. */
  trainable: boolean;
  readonly input_shape: (number | null)[] | null;
  readonly output_shape: (number | null)[] | null;
  readonly weights: WeightInfo[];
  readonly trainable_weights: WeightInfo[];
  readonly non_trainable_weights: WeightInfo[];
  readonly trainableWeights: WeightInfo[];
  readonly nonTrainableWeights: WeightInfo[];
  get_config(): Record<string, unknown>;
  count_params(): number;
  get_weights(): Tensor[];
  set_weights(weights: TensorLike[]): void;
  /** Zeros a stateful recurrent layer's carried states (a TypeError for a layer without states). */
  reset_states(): void;
  /** Runs this layer alone on a batch of its input shape (Keras's layer(x)); apply is TF.js's spelling. */
  call(inputs: TensorLike, training?: boolean | { training?: boolean }): Tensor;
  apply: LayerView['call'];
  getConfig: LayerView['get_config'];
  countParams: LayerView['count_params'];
  getClassName(): string;
  getWeights: LayerView['get_weights'];
  setWeights: LayerView['set_weights'];
  resetStates: LayerView['reset_states'];
}

/** A compiled model's optimizer. */
export interface OptimizerView {
  learning_rate: number;
  lr: number;
  learningRate: number;
  readonly iterations: number;
  get_config(): Record<string, unknown>;
  getConfig: OptimizerView['get_config'];
}

/** A Sequential model. keras.Sequential(layers?, {name}) with or without new. */
export interface Sequential {
  add(layer: KerasObject | ConfigDict): void;
  pop(): void;
  compile(options: CompileOptions): void;
  compile(optimizer?: Optimizer, loss?: Loss, metrics?: Metric[], options?: CompileOptions): void;
  fit(x: TensorLike, y: TensorLike, options?: FitOptions): Promise<History>;
  fit(x: TensorLike, y: TensorLike, batch_size?: number, epochs?: number, verbose?: number, callbacks?: CallbackLike[], options?: FitOptions): Promise<History>;
  fit(options: FitOptions & { x: TensorLike; y: TensorLike }): Promise<History>;
  /** With return_dict: true, {loss, accuracy, ...}. */
  evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions & ReturnDict): Record<string, number>;
  /** The loss, or [loss, ...metrics] when compiled with metrics (see Score). */
  evaluate(x: TensorLike, y: TensorLike, options?: EvaluateOptions): Score;
  evaluate(x: TensorLike, y: TensorLike, batch_size?: number, verbose?: number, options?: EvaluateOptions): Score;
  predict(x: TensorLike, options?: PredictOptions): Tensor;
  predict(x: TensorLike, batch_size?: number, options?: PredictOptions): Tensor;
  train_on_batch(x: TensorLike, y: TensorLike, options: { sample_weight?: TensorLike } & ReturnDict): Record<string, number>;
  train_on_batch(x: TensorLike, y: TensorLike, options?: { sample_weight?: TensorLike; return_dict?: false }): Score;
  test_on_batch(x: TensorLike, y: TensorLike, options: { sample_weight?: TensorLike } & ReturnDict): Record<string, number>;
  test_on_batch(x: TensorLike, y: TensorLike, options?: { sample_weight?: TensorLike; return_dict?: false }): Score;
  predict_on_batch(x: TensorLike): Tensor;
  /** Prints Keras's table (console.log, or print_fn) and returns it. */
  summary(options?: { print_fn?: (s: string) => void; show_trainable?: boolean }): string;
  count_params(): number;
  get_weights(): Tensor[];
  set_weights(weights: TensorLike[]): void;
  /** Zeros the carried states of every stateful layer (Keras's model.reset_states()). */
  reset_states(): void;
  /**
   * Runs the model on one batch, Keras's model(x, training): a JS object cannot be called, so the
   * call is named (TF.js's Layer.call); apply is TF.js's spelling.
   */
  call(inputs: TensorLike, training?: boolean | { training?: boolean }): Tensor;
  apply: Sequential['call'];
  resetStates: Sequential['reset_states'];
  get_config(): ConfigDict & Record<string, unknown>;
  to_json(): string;
  /** save writes the model (with its optimizer by default, as Keras) and resolves with TF.js's SaveResult. */
  save(filepath: Destination, options?: SaveOptions): Promise<SaveResult>;
  /** save_weights writes the weights alone: .weights.h5 for a path ending so, TF.js weights otherwise. */
  save_weights(filepath: Destination, options?: { overwrite?: boolean }): Promise<void>;
  saveWeights: Sequential['save_weights'];
  /** load_weights reads weights from .weights.h5 (by layer position within each class, as Keras 3) or TF.js weights (by name). */
  load_weights(filepath: Destination, options?: { skip_mismatch?: false }): Promise<void>;
  loadWeights: Sequential['load_weights'];
  /** build(input_shape): builds for inputs of that shape, the batch first ([null, 784]). */
  build(input_shape?: (number | null)[]): void;
  /** get_layer(name) or get_layer({index}) (a number first is the index). */
  get_layer(name: string | number | null, index?: number): LayerView;
  get_layer(options: { name?: string; index?: number }): LayerView;
  getLayer: Sequential['get_layer'];
  readonly layers: LayerView[];
  /** Keras's model.weights: layer by layer; trainable_weights and non_trainable_weights split it. */
  readonly weights: WeightInfo[];
  readonly trainable_weights: WeightInfo[];
  readonly non_trainable_weights: WeightInfo[];
  readonly trainableWeights: WeightInfo[];
  readonly nonTrainableWeights: WeightInfo[];
  readonly name: string;
  readonly input_shape: (number | null)[] | null;
  readonly output_shape: (number | null)[] | null;
  readonly built: boolean;
  readonly metrics_names: string[];
  readonly optimizer: OptimizerView | null;
  stop_training: boolean;
  /** Frees the model; later calls throw. Disposing twice is harmless. */
  dispose(): void;
  trainOnBatch: Sequential['train_on_batch'];
  testOnBatch: Sequential['test_on_batch'];
  predictOnBatch: Sequential['predict_on_batch'];
  countParams: Sequential['count_params'];
  getWeights: Sequential['get_weights'];
  setWeights: Sequential['set_weights'];
  getConfig: Sequential['get_config'];
  stopTraining: boolean;
  readonly metricsNames: string[];
  readonly inputShape: (number | null)[] | null;
  readonly outputShape: (number | null)[] | null;
}

export interface SequentialConstructor<M> {
  (layers?: (KerasObject | ConfigDict)[], options?: { name?: string } | string): M;
  new (layers?: (KerasObject | ConfigDict)[], options?: { name?: string } | string): M;
}

/** A Sequential model in a worker: the same methods, each returning a Promise; properties are Promises. */
export interface WorkerSequential {
  add(layer: KerasObject | ConfigDict): Promise<void>;
  pop(): Promise<void>;
  compile(options: CompileOptions): Promise<void>;
  compile(optimizer?: Optimizer, loss?: Loss, metrics?: Metric[], options?: CompileOptions): Promise<void>;
  /** Page callbacks get the batch and epoch logs streamed from the worker; fit does not wait for them. */
  fit(x: TensorLike, y: TensorLike, options?: FitOptions): Promise<History>;
  fit(x: TensorLike, y: TensorLike, batch_size?: number, epochs?: number, verbose?: number, callbacks?: CallbackLike[], options?: FitOptions): Promise<History>;
  fit(options: FitOptions & { x: TensorLike; y: TensorLike }): Promise<History>;
  evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions & ReturnDict): Promise<Record<string, number>>;
  evaluate(x: TensorLike, y: TensorLike, options?: EvaluateOptions): Promise<Score>;
  evaluate(x: TensorLike, y: TensorLike, batch_size?: number, verbose?: number, options?: EvaluateOptions): Promise<Score>;
  predict(x: TensorLike, options?: PredictOptions): Promise<Tensor>;
  predict(x: TensorLike, batch_size?: number, options?: PredictOptions): Promise<Tensor>;
  train_on_batch(x: TensorLike, y: TensorLike, options: { sample_weight?: TensorLike } & ReturnDict): Promise<Record<string, number>>;
  train_on_batch(x: TensorLike, y: TensorLike, options?: { sample_weight?: TensorLike; return_dict?: false }): Promise<Score>;
  test_on_batch(x: TensorLike, y: TensorLike, options: { sample_weight?: TensorLike } & ReturnDict): Promise<Record<string, number>>;
  test_on_batch(x: TensorLike, y: TensorLike, options?: { sample_weight?: TensorLike; return_dict?: false }): Promise<Score>;
  predict_on_batch(x: TensorLike): Promise<Tensor>;
  /** Prints the table on the page (console.log, or print_fn) and resolves to it. */
  summary(options?: { print_fn?: (s: string) => void; show_trainable?: boolean }): Promise<string>;
  count_params(): Promise<number>;
  get_weights(): Promise<Tensor[]>;
  set_weights(weights: TensorLike[]): Promise<void>;
  reset_states(): Promise<void>;
  resetStates: WorkerSequential['reset_states'];
  call(inputs: TensorLike, training?: boolean | { training?: boolean }): Promise<Tensor>;
  apply: WorkerSequential['call'];
  get_config(): Promise<ConfigDict & Record<string, unknown>>;
  to_json(): Promise<string>;
  /** A path or URL is written in the worker; an IOHandler runs on the page with the artifacts the worker made. */
  save(filepath: Destination, options?: SaveOptions): Promise<SaveResult>;
  save_weights(filepath: Destination, options?: { overwrite?: boolean }): Promise<void>;
  saveWeights: WorkerSequential['save_weights'];
  load_weights(filepath: Destination, options?: { skip_mismatch?: false }): Promise<void>;
  loadWeights: WorkerSequential['load_weights'];
  build(input_shape?: (number | null)[]): Promise<void>;
  get_layer(name: string | number | null, index?: number): Promise<LayerView>;
  get_layer(options: { name?: string; index?: number }): Promise<LayerView>;
  getLayer: WorkerSequential['get_layer'];
  readonly weights: Promise<WeightInfo[]>;
  readonly trainable_weights: Promise<WeightInfo[]>;
  readonly non_trainable_weights: Promise<WeightInfo[]>;
  readonly trainableWeights: Promise<WeightInfo[]>;
  readonly nonTrainableWeights: Promise<WeightInfo[]>;
  dispose(): Promise<void>;
  trainOnBatch: WorkerSequential['train_on_batch'];
  testOnBatch: WorkerSequential['test_on_batch'];
  predictOnBatch: WorkerSequential['predict_on_batch'];
  countParams: WorkerSequential['count_params'];
  getWeights: WorkerSequential['get_weights'];
  setWeights: WorkerSequential['set_weights'];
  getConfig: WorkerSequential['get_config'];
  readonly layers: Promise<(Omit<LayerView, 'get_weights' | 'set_weights' | 'getWeights' | 'setWeights' | 'reset_states' | 'resetStates' | 'call' | 'apply'> & {
    get_weights(): Promise<Tensor[]>; set_weights(w: TensorLike[]): Promise<void>;
    getWeights(): Promise<Tensor[]>; setWeights(w: TensorLike[]): Promise<void>;
    reset_states(): Promise<void>; resetStates(): Promise<void>;
    call(inputs: TensorLike, training?: boolean | { training?: boolean }): Promise<Tensor>;
    apply(inputs: TensorLike, training?: boolean | { training?: boolean }): Promise<Tensor>;
  })[]>;
  readonly name: Promise<string>;
  readonly input_shape: Promise<(number | null)[] | null>;
  readonly output_shape: Promise<(number | null)[] | null>;
  readonly built: Promise<boolean>;
  readonly metrics_names: Promise<string[]>;
  /** A snapshot; setting its learning_rate reaches the worker. */
  readonly optimizer: Promise<OptimizerView | null>;
  /** Setting it reaches the worker between two batches; reading it is a Promise. */
  stop_training: boolean | Promise<boolean>;
  stopTraining: boolean | Promise<boolean>;
  readonly metricsNames: Promise<string[]>;
  readonly inputShape: Promise<(number | null)[] | null>;
  readonly outputShape: Promise<(number | null)[] | null>;
}

/** keras.backend (K): functions on keras tensors for custom metrics. */
export interface Backend {
  epsilon(): number;
  mean(x: TensorLike, axis?: number | number[] | null, keepdims?: boolean): Tensor;
  sum(x: TensorLike, axis?: number | number[] | null, keepdims?: boolean): Tensor;
  max(x: TensorLike, axis?: number | number[] | null, keepdims?: boolean): Tensor;
  min(x: TensorLike, axis?: number | number[] | null, keepdims?: boolean): Tensor;
  argmax(x: TensorLike, axis?: number): Tensor;
  argmin(x: TensorLike, axis?: number): Tensor;
  abs(x: TensorLike): Tensor; square(x: TensorLike): Tensor; sqrt(x: TensorLike): Tensor;
  exp(x: TensorLike): Tensor; log(x: TensorLike): Tensor; round(x: TensorLike): Tensor; sign(x: TensorLike): Tensor;
  equal(a: TensorLike, b: TensorLike): Tensor; not_equal(a: TensorLike, b: TensorLike): Tensor;
  greater(a: TensorLike, b: TensorLike): Tensor; greater_equal(a: TensorLike, b: TensorLike): Tensor;
  less(a: TensorLike, b: TensorLike): Tensor; less_equal(a: TensorLike, b: TensorLike): Tensor;
  add(a: TensorLike, b: TensorLike): Tensor; subtract(a: TensorLike, b: TensorLike): Tensor;
  multiply(a: TensorLike, b: TensorLike): Tensor; divide(a: TensorLike, b: TensorLike): Tensor;
  maximum(a: TensorLike, b: TensorLike): Tensor; minimum(a: TensorLike, b: TensorLike): Tensor; pow(a: TensorLike, b: TensorLike): Tensor;
  cast(x: TensorLike, dtype: 'float32' | 'int32' | 'int64' | 'bool'): Tensor;
  clip(x: TensorLike, min_value: number, max_value: number): Tensor;
  int_shape(x: TensorLike): number[]; shape(x: TensorLike): number[]; ndim(x: TensorLike): number;
  flatten(x: TensorLike): Tensor; reshape(x: TensorLike, shape: number[]): Tensor;
  constant(value: TensorLike, dtype?: string, shape?: number[]): Tensor;
  ones_like(x: TensorLike): Tensor; zeros_like(x: TensorLike): Tensor;
  get_value(x: TensorLike): NestedArray; eval(x: TensorLike): NestedArray;
  floatx(): 'float32'; set_epsilon(e: number): void;
  /** Starts Keras's automatic model names again at "sequential" (a Promise in a worker). */
  clear_session(free_memory?: boolean): void | Promise<void>;
  clearSession(free_memory?: boolean): void | Promise<void>;
}

export interface Utils {
  /** One-hot encodes integer labels; a trailing dimension of 1 is dropped, as in Keras. */
  to_categorical(y: TensorLike, num_classes?: number | null, dtype?: 'float32'): Tensor;
  toCategorical(y: TensorLike, num_classes?: number | null, dtype?: 'float32'): Tensor;
  /** Seeds the models made from now on: the k-th model after set_random_seed(s) gets seed s + k. */
  set_random_seed(seed: number): void;
  setRandomSeed(seed: number): void;
}

/** A bad value, shape or name (Keras's ValueError); err.name is 'ValueError'. */
export class ValueError extends Error {}
/** A Keras feature, class or argument value keraswasm does not build (yet); err.name is 'NotImplementedError'. */
export class NotImplementedError extends Error {}
/** An index past the end (a to_categorical label ≥ num_classes); err.name is 'IndexError'. */
export class IndexError extends Error {}
/** A call reentered its own model too deeply; err.name is 'RecursionError'. */
export class RecursionError extends Error {}
/** A call would take the runtime's memory above its limit (TensorFlow's OOM class); err.name is 'ResourceExhaustedError'. */
export class ResourceExhaustedError extends Error {}

/** keras.utils.pad_sequences's options (Keras's defaults: the longest sequence, 'int32', 'pre', 'pre', 0). */
export interface PadSequencesOptions {
  maxlen?: number | null; dtype?: 'int32' | 'float32'; padding?: 'pre' | 'post'; truncating?: 'pre' | 'post'; value?: number;
}
/** Sequences for pad_sequences: lists of numbers (token ids) of any lengths, or a 2-D tensor. */
export type Sequences = ArrayLike<number>[] | Tensor;
/** keras.utils' functions computed by the core; T is Tensor, or Promise<Tensor> in a worker. */
export interface CoreUtils<T> {
  /** pad_sequences(sequences, maxlen?, dtype?, padding?, truncating?, value?) → (samples, maxlen); int32 truncates toward zero. */
  pad_sequences(sequences: Sequences, options?: PadSequencesOptions): T;
  pad_sequences(sequences: Sequences, maxlen?: number | null, dtype?: 'int32' | 'float32', padding?: 'pre' | 'post', truncating?: 'pre' | 'post', value?: number): T;
  padSequences: CoreUtils<T>['pad_sequences'];
  /** normalize(x, axis = -1, order = 2): x over its order-norm along axis (a zero norm counts as 1); order may be Infinity. */
  normalize(x: TensorLike, options?: { axis?: number; order?: number }): T;
  normalize(x: TensorLike, axis?: number, order?: number): T;
  /**
   * split_dataset(dataset, left_size?, right_size?, shuffle = false, seed = null): [left, right], each
   * a tensor for one array in, or a list of tensors for a list of tensors ([x, y]) in. A size is a
   * count (an integer) or a fraction; at least one is needed.
   */
  split_dataset<D extends TensorLike | Tensor[]>(dataset: D, options: SplitOptions): Split<D, T>;
  split_dataset<D extends TensorLike | Tensor[]>(dataset: D, left_size?: number | null, right_size?: number | null, shuffle?: boolean, seed?: number | null): Split<D, T>;
  splitDataset: CoreUtils<T>['split_dataset'];
}
export interface SplitOptions { left_size?: number | null; right_size?: number | null; shuffle?: boolean; seed?: number | null }
/** What split_dataset returns: [left, right] in the dataset's form, or its Promise in a worker. */
export type Split<D, T> = T extends Promise<Tensor>
  ? Promise<D extends Tensor[] ? [Tensor[], Tensor[]] : [Tensor, Tensor]>
  : D extends Tensor[] ? [Tensor[], Tensor[]] : [Tensor, Tensor];

/** MNIST as keras.datasets.mnist.load_data returns it: [[x_train, y_train], [x_test, y_test]]. */
export type MNISTData = [[Tensor, Tensor], [Tensor, Tensor]];
/**
 * keras.datasets: load_data reads the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each name.gz or else name) under url, a base URL
 * (in Node also a directory path or file: URL). x is (count, 28, 28) of pixel values 0..255 and y
 * (count,) of digits, float32 (Keras returns uint8 arrays).
 */
export interface Datasets {
  mnist: {
    load_data(options: { url: string | URL } | string | URL): Promise<MNISTData>;
    loadData(options: { url: string | URL } | string | URL): Promise<MNISTData>;
  };
}

interface Namespace<M, Seeded, T = Tensor> {
  readonly version: string;
  Sequential: SequentialConstructor<M>;
  models: {
    Sequential: SequentialConstructor<M>;
    model_from_json(json: string): M;
    modelFromJSON(json: string): M;
    model_from_config(config: ConfigDict): M;
    /** load_model reads model.save's files, Keras's .keras and TF.js's model.json. */
    load_model(source: Destination, options?: LoadModelOptions): Promise<M>;
    loadModel(source: Destination, options?: LoadModelOptions): Promise<M>;
  } & import('./src/io/browser').ModelStores;
  /** TF.js's tf.io for the browser: browserFiles and the model stores (js/README.md, "Models in the browser"). */
  io: import('./src/io/browser').IO;
  layers: Layers;
  optimizers: Optimizers;
  losses: Losses;
  metrics: Metrics;
  activations: Activations;
  callbacks: Callbacks;
  initializers: Initializers;
  regularizers: Regularizers;
  constraints: Constraints;
  utils: Omit<Utils, 'set_random_seed' | 'setRandomSeed'> & CoreUtils<T> & { set_random_seed(seed: number): Seeded; setRandomSeed(seed: number): Seeded };
  datasets: Datasets;
  /** Keras 2's keras.preprocessing.sequence.pad_sequences, the same function. */
  preprocessing: { sequence: { pad_sequences: CoreUtils<T>['pad_sequences'] } };
  backend: Backend;
  config: Config<Seeded>;
  /** Makes a keras tensor from nested arrays, or a typed array with a shape. */
  tensor(data: TensorLike, shape?: number[]): Tensor;
  Tensor: typeof Tensor;
  KerasObject: typeof KerasObject;
  Input: Layers['Input'];
  /** The error classes the runtime throws besides JS's TypeError (branch on err.name). */
  errors: { ValueError: typeof ValueError; NotImplementedError: typeof NotImplementedError; IndexError: typeof IndexError; RecursionError: typeof RecursionError; ResourceExhaustedError: typeof ResourceExhaustedError };
  /** Charts (tfjs-vis's show.history, fitCallbacks, confusionMatrix, modelSummary) written as SVG into a container. */
  vis: {
    history(container: { innerHTML: string }, history: unknown, metrics?: string[] | { metrics?: string[]; width?: number; height?: number }, opts?: { width?: number; height?: number }): string;
    fitCallbacks(container: { innerHTML: string }, metrics?: string[], opts?: { callbacks?: ('onBatchEnd' | 'onEpochEnd')[]; width?: number; height?: number; yDomain?: [number, number]; schedule?: (draw: () => void) => void }): Record<string, (...args: any[]) => void>;
    confusionMatrix(container: { innerHTML: string }, data: { labels: unknown; predictions: unknown } | { values: number[][]; tickLabels?: string[] } | number[][], opts?: { numClasses?: number; tickLabels?: string[]; width?: number }): number[][];
    summary(container: { innerHTML: string }, model: unknown): Promise<string>;
  };
}

/** The keras namespace, the runtime in this thread. */
export interface Keras extends Namespace<Sequential, void> {
  /** TF.js's training API over the same runtime (main thread only); also the module keraswasm/tf. */
  tf: import('./tf').TF;
  readonly runtime: unknown;
}

/** The keras namespace with the runtime in a worker: models return Promises. */
export interface WorkerKeras extends Namespace<WorkerSequential, Promise<void>, Promise<Tensor>> {
  readonly worker: true;
  /** How many workers train each model (loadKeras's workers). */
  readonly workers: number;
  /**
   * Stops the worker; its models are gone. A fit and every other call still
   * pending reject with one Error ("the keras runtime stopped: terminate() was
   * called; ... call loadKeras() again"), and so does every later call, at
   * once. The same happens when the worker fails or exits on its own.
   */
  terminate(): void;
  /** The same as terminate(): frees the worker and its runtime. */
  dispose(): void;
}
