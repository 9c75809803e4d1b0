// Type declarations for keraswasm/tf (and keras.tf): TF.js's training API
// over the keraswasm runtime (js/src/tf.mjs). Only what the module offers is
// declared; tf.layers has one factory per layer class of the core's registry.

/** A TF.js tensor: values are float32; dtype is a tag. */
export declare class Tensor {
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool';
  readonly rank: number;
  readonly size: number;
  readonly isDisposed: boolean;
  data(): Promise<Float32Array>;
  dataSync(): Float32Array;
  array(): Promise<any>;
  arraySync(): any;
  print(): void;
  dispose(): void;
  reshape(shape: number[]): Tensor;
  asType(dtype: 'float32' | 'int32' | 'bool'): Tensor;
  argMax(axis?: number): Tensor;
  sum(axis?: number | null): Tensor;
  mean(axis?: number | null): Tensor;
  add(b: Tensor | number): Tensor;
  sub(b: Tensor | number): Tensor;
  mul(b: Tensor | number): Tensor;
  div(b: Tensor | number): Tensor;
  equal(b: Tensor | number): Tensor;
  square(): Tensor;
  sqrt(): Tensor;
}

type Values = number | number[] | number[][] | number[][][] | number[][][][] | Float32Array | Int32Array | Uint8Array;
type DType = 'float32' | 'int32' | 'bool';

/** Logs as TF.js names them (acc, val_acc, val_loss ...; batch logs also batch and size). */
export type Logs = { [key: string]: number };

export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
}
export interface EarlyStopping { readonly kerasCallback: unknown }

export interface History { history: { [key: string]: number[] }; epoch: number[]; params: object; model: LayersModel }

export interface ModelFitArgs {
  batchSize?: number; epochs?: number; verbose?: 0 | 1 | 2; callbacks?: CustomCallbackArgs | EarlyStopping | Array<CustomCallbackArgs | EarlyStopping>;
  validationSplit?: number; validationData?: [Tensor, Tensor]; shuffle?: boolean; initialEpoch?: number; yieldEvery?: number | 'auto' | 'batch' | 'epoch' | 'never';
}

export interface Dataset<T> {
  map<U>(f: (v: T) => U): Dataset<U>;
  batch(batchSize: number, smallLastBatch?: boolean): Dataset<any>;
  shuffle(bufferSize: number, seed?: number): Dataset<T>;
  take(n: number): Dataset<T>;
  repeat(count?: number): Dataset<T>;
  toArray(): Promise<T[]>;
  forEachAsync(f: (v: T) => void): Promise<void>;
  iterator(): Promise<{ next(): Promise<IteratorResult<T>> }>;
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** An optimizer of tf.train (a keras optimizer config underneath). */
export interface Optimizer { readonly class_name: string }
/** A layer of tf.layers (a keras layer config underneath). */
export interface Layer { readonly class_name: string }

export interface LayersModel {
  readonly name: string;
  readonly layers: unknown[];
  stopTraining: boolean;
  add(layer: Layer): void;
  compile(args: { optimizer: string | Optimizer; loss: string | string[]; metrics?: string | string[] }): void;
  fit(x: Tensor, y: Tensor, args?: ModelFitArgs): Promise<History>;
  fitDataset(dataset: Dataset<{ xs: Tensor; ys: Tensor }>, args?: { epochs?: number; batchesPerEpoch?: number; callbacks?: CustomCallbackArgs | CustomCallbackArgs[]; validationData?: [Tensor, Tensor]; verbose?: number; initialEpoch?: number }): Promise<History>;
  predict(x: Tensor, args?: { batchSize?: number; verbose?: boolean }): Tensor;
  evaluate(x: Tensor, y: Tensor, args?: { batchSize?: number; verbose?: number }): Tensor | Tensor[];
  summary(lineLength?: number, positions?: number[], printFn?: (line: string) => void): void;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  countParams(): number;
  save(handlerOrURL: unknown, config?: unknown): Promise<unknown>;
  dispose(): { refCountAfterDispose: number; numDisposedVariables: number };
}

/** tf.layers: a factory per layer the core has, named as TF.js names them, taking camelCase args. */
export declare const layers: import('./catalog').TFLayers;
export declare const train: {
  sgd(learningRate: number): Optimizer;
  momentum(learningRate: number, momentum: number, useNesterov?: boolean): Optimizer;
  adam(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null): Optimizer;
  rmsprop(learningRate: number, decay?: number, momentum?: number, epsilon?: number | null, centered?: boolean): Optimizer;
  adagrad(learningRate: number, initialAccumulatorValue?: number): Optimizer;
  adadelta(learningRate?: number, rho?: number, epsilon?: number | null): Optimizer;
  adamax(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number | null, decay?: number): Optimizer;
};
export declare const callbacks: { earlyStopping(args?: { monitor?: string; minDelta?: number; patience?: number; verbose?: number; mode?: 'auto' | 'min' | 'max'; baseline?: number }): EarlyStopping };
export declare const data: {
  array<T>(items: T[]): Dataset<T>;
  generator<T>(gen: () => Iterator<T> | AsyncIterator<T>): Dataset<T>;
  zip(datasets: { [key: string]: Dataset<any> } | Dataset<any>[]): Dataset<any>;
};
export declare const version: { keraswasm: string; 'tfjs-layers-api': string };
export declare function sequential(args?: { layers?: Layer[]; name?: string }): LayersModel;
export declare function tensor(values: Values, shape?: number[], dtype?: DType): Tensor;
export declare function scalar(value: number, dtype?: DType): Tensor;
export declare function tensor1d(values: Values, dtype?: DType): Tensor;
export declare function tensor2d(values: Values, shape?: [number, number], dtype?: DType): Tensor;
export declare function tensor3d(values: Values, shape?: [number, number, number], dtype?: DType): Tensor;
export declare function tensor4d(values: Values, shape?: [number, number, number, number], dtype?: DType): Tensor;
export declare function zeros(shape: number[], dtype?: DType): Tensor;
export declare function ones(shape: number[], dtype?: DType): Tensor;
export declare function randomNormal(shape: number[], mean?: number, stdDev?: number, dtype?: DType, seed?: number): Tensor;
export declare function randomUniform(shape: number[], minval?: number, maxval?: number, dtype?: DType, seed?: number): Tensor;
export declare function oneHot(indices: Tensor | number[], depth: number, onValue?: number, offValue?: number): Tensor;
export declare function tidy<T>(fn: () => T): T;
export declare function tidy<T>(name: string, fn: () => T): T;
export declare function dispose(x: Tensor | Tensor[]): void;
export declare function keep<T extends Tensor>(t: T): T;
export declare function nextFrame(): Promise<void>;
export declare function memory(): { numTensors: number; numDataBuffers: number; numBytes: number; unreliable: boolean; reasons: string[] };
export declare function loadLayersModel(pathOrIOHandler: unknown, options?: unknown): Promise<LayersModel>;
/** fromKeras sees a keras.Sequential model through TF.js's API. */
export declare function fromKeras(model: unknown): LayersModel;

/** The namespace as one object (keras.tf, and this module's default export). */
export type TF = typeof import('./tf');
declare const tf: TF;
export default tf;
