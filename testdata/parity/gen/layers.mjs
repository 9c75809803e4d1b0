// Layer fixtures: forward output and the gradients of L = Σ y·r with respect
// to the input and every trainable weight, computed by TF.js's own layers.
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, size, t32 } from './lib.mjs';

// camel turns a Keras snake_case config into TF.js's camelCase layer args.
function camel(config) {
  const out = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    if (key === 'activation') out[key] = tfjsActivation(v);
    else if (key === 'dataFormat') out[key] = { channels_first: 'channelsFirst', channels_last: 'channelsLast' }[v];
    else out[key] = v;
  }
  return out;
}

// tfjsActivation maps a Keras activation name to TF.js's spelling.
export function tfjsActivation(name) {
  return { hard_sigmoid: 'hardSigmoid', log_softmax: 'logSoftmax' }[name] ?? name;
}

const tfjsLayer = {
  Dense: (c) => tf.layers.dense(c),
  Conv2D: (c) => tf.layers.conv2d(c),
  MaxPooling2D: (c) => tf.layers.maxPooling2d(c),
  Flatten: (c) => tf.layers.flatten(c),
  Dropout: (c) => tf.layers.dropout(c),
  ReLU: (c) => tf.layers.reLU(c),
  LeakyReLU: (c) => tf.layers.leakyReLU(c),
  ELU: (c) => tf.layers.elu(c),
  Softmax: (c) => tf.layers.softmax(c),
  Activation: (c) => tf.layers.activation(c),
  AveragePooling2D: (c) => tf.layers.averagePooling2d(c),
  MaxPooling1D: (c) => tf.layers.maxPooling1d(c),
  AveragePooling1D: (c) => tf.layers.averagePooling1d(c),
  GlobalAveragePooling2D: (c) => tf.layers.globalAveragePooling2d(c),
  GlobalMaxPooling2D: (c) => tf.layers.globalMaxPooling2d(c),
  GlobalAveragePooling1D: (c) => tf.layers.globalAveragePooling1d(c),
  GlobalMaxPooling1D: (c) => tf.layers.globalMaxPooling1d(c),
  Reshape: (c) => tf.layers.reshape(c),
  Permute: (c) => tf.layers.permute(c),
  RepeatVector: (c) => tf.layers.repeatVector(c),
  ZeroPadding2D: (c) => tf.layers.zeroPadding2d(c),
  Cropping2D: (c) => tf.layers.cropping2D(c),
  UpSampling2D: (c) => tf.layers.upSampling2d(c),
  GaussianNoise: (c) => tf.layers.gaussianNoise(c),
  GaussianDropout: (c) => tf.layers.gaussianDropout(c),
  AlphaDropout: (c) => tf.layers.alphaDropout(c),
  SpatialDropout1D: (c) => tf.layers.spatialDropout1d(c),
  PReLU: (c) => tf.layers.prelu(c),
  ThresholdedReLU: (c) => tf.layers.thresholdedReLU(c),
  BatchNormalization: (c) => tf.layers.batchNormalization(c),
  LayerNormalization: (c) => tf.layers.layerNormalization(c),
  Conv1D: (c) => tf.layers.conv1d(c),
  DepthwiseConv2D: (c) => tf.layers.depthwiseConv2d(c),
  SeparableConv2D: (c) => tf.layers.separableConv2d(c),
  Conv2DTranspose: (c) => tf.layers.conv2dTranspose(c),
};

// Cases: name, Keras class and config, input shape (batch first), and
// whether TF.js can differentiate it.
const cases = [
  ['dense_linear', 'Dense', { units: 3 }, [4, 5]],
  ['dense_relu', 'Dense', { units: 4, activation: 'relu' }, [3, 6]],
  ['dense_tanh', 'Dense', { units: 3, activation: 'tanh' }, [4, 5]],
  ['dense_sigmoid', 'Dense', { units: 2, activation: 'sigmoid' }, [5, 3]],
  ['dense_softmax', 'Dense', { units: 4, activation: 'softmax' }, [3, 5]],
  ['dense_elu_no_bias', 'Dense', { units: 3, activation: 'elu', use_bias: false }, [4, 4]],
  ['dense_selu', 'Dense', { units: 3, activation: 'selu' }, [2, 4]],
  ['dense_rank3', 'Dense', { units: 2, activation: 'softplus' }, [2, 3, 4]],
  ['conv2d_valid_s1', 'Conv2D', { filters: 4, kernel_size: [3, 3] }, [2, 6, 6, 3]],
  ['conv2d_same_s1_relu', 'Conv2D', { filters: 3, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, [2, 5, 5, 2]],
  ['conv2d_valid_s2', 'Conv2D', { filters: 2, kernel_size: [3, 3], strides: [2, 2] }, [2, 7, 7, 3]],
  ['conv2d_same_s2_odd', 'Conv2D', { filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }, [1, 7, 7, 2]],
  ['conv2d_same_s2_even', 'Conv2D', { filters: 2, kernel_size: [4, 4], strides: [2, 2], padding: 'same' }, [1, 6, 6, 2]],
  ['conv2d_rect_kernel_strides', 'Conv2D', { filters: 2, kernel_size: [2, 3], strides: [2, 1], padding: 'same' }, [2, 5, 6, 2]],
  ['conv2d_1x1_no_bias', 'Conv2D', { filters: 3, kernel_size: [1, 1], use_bias: false }, [2, 3, 3, 4]],
  ['conv2d_valid_dilation2', 'Conv2D', { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, [2, 7, 7, 2], 'forward'],
  ['conv2d_same_dilation2', 'Conv2D', { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2], padding: 'same' }, [1, 6, 6, 2], 'forward'],
  ['conv2d_valid_dilation_2x3', 'Conv2D', { filters: 3, kernel_size: [2, 2], dilation_rate: [2, 3] }, [1, 6, 7, 2], 'forward'],
  ['conv2d_channels_first', 'Conv2D', { filters: 3, kernel_size: [3, 2], strides: [1, 2], padding: 'same', data_format: 'channels_first' }, [2, 2, 5, 6]],
  ['maxpool_2_valid', 'MaxPooling2D', { pool_size: [2, 2] }, [2, 6, 6, 3]],
  ['maxpool_3_s2_valid', 'MaxPooling2D', { pool_size: [3, 3], strides: [2, 2] }, [2, 7, 7, 2]],
  ['maxpool_2_same_odd', 'MaxPooling2D', { pool_size: [2, 2], padding: 'same' }, [2, 5, 5, 2]],
  ['maxpool_3_s1_same', 'MaxPooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }, [1, 4, 4, 2]],
  ['maxpool_rect', 'MaxPooling2D', { pool_size: [2, 3], strides: [1, 2] }, [2, 5, 7, 1]],
  ['maxpool_channels_first', 'MaxPooling2D', { pool_size: [2, 2], padding: 'same', data_format: 'channels_first' }, [2, 3, 5, 5]],
  ['flatten', 'Flatten', {}, [2, 3, 4, 2]],
  ['dropout_inference', 'Dropout', { rate: 0.5 }, [3, 5]],
  ['relu_layer', 'ReLU', {}, [3, 5]],
  ['relu_layer_max_value', 'ReLU', { max_value: 1.0 }, [3, 5]],
  ['leaky_relu_layer', 'LeakyReLU', {}, [3, 5]],
  ['leaky_relu_layer_alpha', 'LeakyReLU', { alpha: 0.1 }, [3, 5]],
  ['elu_layer', 'ELU', {}, [3, 5]],
  ['softmax_layer', 'Softmax', {}, [3, 5]],
  ['activation_layer_softmax', 'Activation', { activation: 'softmax' }, [2, 3, 4]],
  ['activation_layer_hard_sigmoid', 'Activation', { activation: 'hard_sigmoid' }, [3, 5]],
  ['avgpool_2_valid', 'AveragePooling2D', { pool_size: [2, 2] }, [2, 6, 6, 3]],
  ['avgpool_3_s2_same', 'AveragePooling2D', { pool_size: [3, 3], strides: [2, 2], padding: 'same' }, [2, 7, 6, 2], 'forward', 'TF.js 4.22 cpu AvgPoolGrad divides by the whole window, padding included, unlike its forward and TF'],
  ['avgpool_3_s1_valid', 'AveragePooling2D', { pool_size: [3, 3], strides: [1, 1] }, [1, 5, 5, 2]],
  ['avgpool_channels_first', 'AveragePooling2D', { pool_size: [2, 3], data_format: 'channels_first' }, [2, 3, 5, 7]],
  ['avgpool_channels_first_same', 'AveragePooling2D', { pool_size: [2, 3], padding: 'same', data_format: 'channels_first' }, [2, 3, 5, 5], 'forward', 'TF.js 4.22 cpu AvgPoolGrad divides by the whole window, padding included, unlike its forward and TF'],
  ['maxpool1d_2_valid', 'MaxPooling1D', { pool_size: [2] }, [2, 7, 3]],
  ['maxpool1d_3_s1_same', 'MaxPooling1D', { pool_size: [3], strides: [1], padding: 'same' }, [2, 5, 2]],
  ['avgpool1d_2_valid', 'AveragePooling1D', { pool_size: [2] }, [2, 6, 3]],
  ['avgpool1d_3_s2_same', 'AveragePooling1D', { pool_size: [3], strides: [2], padding: 'same' }, [2, 6, 2], 'forward', 'TF.js 4.22 cpu AvgPoolGrad divides by the whole window, padding included, unlike its forward and TF'],
  ['avgpool1d_3_s1_valid', 'AveragePooling1D', { pool_size: [3], strides: [1] }, [2, 6, 2]],
  ['global_avgpool2d', 'GlobalAveragePooling2D', {}, [2, 4, 3, 3]],
  ['global_avgpool2d_channels_first', 'GlobalAveragePooling2D', { data_format: 'channels_first' }, [2, 3, 4, 3]],
  ['global_maxpool2d', 'GlobalMaxPooling2D', {}, [2, 4, 3, 3]],
  ['global_maxpool2d_channels_first', 'GlobalMaxPooling2D', { data_format: 'channels_first' }, [2, 3, 4, 3]],
  ['global_avgpool1d', 'GlobalAveragePooling1D', {}, [2, 5, 3]],
  ['global_maxpool1d', 'GlobalMaxPooling1D', {}, [2, 5, 3]],
  ['reshape_infer', 'Reshape', { target_shape: [3, -1] }, [2, 2, 6]],
  ['permute_3d', 'Permute', { dims: [3, 1, 2] }, [2, 2, 3, 4]],
  ['repeat_vector', 'RepeatVector', { n: 3 }, [2, 4]],
  ['zero_padding2d', 'ZeroPadding2D', { padding: [[1, 0], [2, 1]] }, [2, 3, 2, 2]],
  ['zero_padding2d_channels_first', 'ZeroPadding2D', { padding: [1, 2], data_format: 'channels_first' }, [2, 2, 3, 2]],
  ['cropping2d', 'Cropping2D', { cropping: [[1, 0], [0, 2]] }, [2, 4, 5, 2]],
  ['cropping2d_channels_first', 'Cropping2D', { cropping: [[1, 1], [1, 0]], data_format: 'channels_first' }, [2, 2, 4, 4]],
  ['upsampling2d_nearest', 'UpSampling2D', { size: [2, 3] }, [2, 2, 3, 2], 'forward', 'TF.js 4.22 cpu ResizeNearestNeighborGrad is wrong for a batch > 1 (every sample after the first gets the wrong gradient); the batch-1 cases compare dx'],
  ['upsampling2d_nearest_batch1', 'UpSampling2D', { size: [2, 3] }, [1, 2, 3, 2]],
  ['upsampling2d_channels_first', 'UpSampling2D', { size: [2, 2], data_format: 'channels_first' }, [2, 2, 2, 3], 'forward', 'TF.js 4.22 cpu ResizeNearestNeighborGrad is wrong for a batch > 1 (every sample after the first gets the wrong gradient); the batch-1 cases compare dx'],
  ['upsampling2d_channels_first_batch1', 'UpSampling2D', { size: [3, 2], data_format: 'channels_first' }, [1, 2, 2, 3]],
  ['gaussian_noise_inference', 'GaussianNoise', { stddev: 0.5 }, [3, 4]],
  ['gaussian_dropout_inference', 'GaussianDropout', { rate: 0.3 }, [3, 4]],
  ['alpha_dropout_inference', 'AlphaDropout', { rate: 0.3 }, [3, 4]],
  ['spatial_dropout1d_inference', 'SpatialDropout1D', { rate: 0.3 }, [2, 3, 4]],
  ['prelu', 'PReLU', {}, [3, 5]],
  ['prelu_shared_axes', 'PReLU', { shared_axes: [1, 2] }, [2, 3, 3, 2]],
  ['thresholded_relu', 'ThresholdedReLU', {}, [3, 5], 'forward', 'TF.js 4.22 has no gradient for Greater, which its ThresholdedReLU (x * cast(x > theta)) uses'],
  ['thresholded_relu_theta', 'ThresholdedReLU', { theta: 0.5 }, [3, 5], 'forward', 'TF.js 4.22 has no gradient for Greater, which its ThresholdedReLU (x * cast(x > theta)) uses'],
  // mode 'training': y and the gradients with training=true (batch statistics), and the moving
  // statistics after one training call (weights_after).
  ['batchnorm_inference', 'BatchNormalization', {}, [4, 3]],
  ['batchnorm_no_center_inference', 'BatchNormalization', { center: false, epsilon: 0.01 }, [2, 2, 3], 'forward',
    'TF.js 4.22 cannot differentiate batchNormalization without beta (its gradient reads the missing offset)'],
  ['batchnorm_training', 'BatchNormalization', { momentum: 0.9 }, [6, 3], 'training'],
  ['batchnorm_training_images', 'BatchNormalization', { epsilon: 0.01 }, [2, 3, 3, 2], 'training'],
  // Not batchnorm in training over a non-last axis: TF.js 4.22's output is not Keras's there
  // (see ../README.md).
  ['layernorm', 'LayerNormalization', {}, [3, 5]],
  ['layernorm_sequence', 'LayerNormalization', { epsilon: 1e-5 }, [2, 3, 4]],
  ['layernorm_two_axes', 'LayerNormalization', { axis: [-2, -1] }, [2, 3, 4]],
  ['layernorm_no_scale', 'LayerNormalization', { scale: false }, [3, 4], 'forward',
    'TF.js 4.22 cannot differentiate layerNormalization without gamma'],
  ['conv1d_valid', 'Conv1D', { filters: 3, kernel_size: 3 }, [2, 6, 2]],
  ['conv1d_same_s2_relu', 'Conv1D', { filters: 2, kernel_size: 3, strides: 2, padding: 'same', activation: 'relu' }, [2, 7, 3]],
  ['conv1d_valid_dilation2', 'Conv1D', { filters: 2, kernel_size: 2, dilation_rate: 2 }, [1, 6, 2], 'forward'],
  ['depthwise_valid', 'DepthwiseConv2D', { kernel_size: [3, 3] }, [2, 5, 5, 2]],
  ['depthwise_multiplier_same_s2_relu', 'DepthwiseConv2D', { kernel_size: [2, 2], depth_multiplier: 2, padding: 'same', strides: [2, 2], activation: 'relu' }, [2, 5, 4, 3]],
  ['depthwise_channels_first', 'DepthwiseConv2D', { kernel_size: [2, 3], depth_multiplier: 2, data_format: 'channels_first' }, [2, 2, 4, 5]],
  ['separable_valid', 'SeparableConv2D', { filters: 3, kernel_size: [3, 3] }, [2, 5, 5, 2]],
  ['separable_multiplier_same_s2_relu', 'SeparableConv2D', { filters: 2, kernel_size: [2, 2], depth_multiplier: 2, padding: 'same', strides: [2, 2], activation: 'relu' }, [2, 5, 4, 3]],
  ['separable_channels_first_no_bias', 'SeparableConv2D', { filters: 2, kernel_size: [2, 2], data_format: 'channels_first', use_bias: false }, [2, 3, 4, 4]],
  ['conv2d_transpose_valid', 'Conv2DTranspose', { filters: 2, kernel_size: [3, 3] }, [2, 3, 3, 2]],
  ['conv2d_transpose_same_s2_relu', 'Conv2DTranspose', { filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' }, [2, 3, 2, 2]],
  ['conv2d_transpose_valid_s2_k1', 'Conv2DTranspose', { filters: 2, kernel_size: [1, 1], strides: [2, 2] }, [1, 3, 3, 2]],
  ['conv2d_transpose_channels_first', 'Conv2DTranspose', { filters: 2, kernel_size: [2, 3], strides: [2, 1], padding: 'same', data_format: 'channels_first' }, [2, 2, 3, 3]],
  // Not DepthwiseConv2D with dilation_rate > 1: TF.js 4.22 ignores it (see ../README.md).
  // Not Conv1D with padding 'causal' (TF.js 4.22 throws NotImplementedError) nor channels_first (TF.js
  // gives its output as (batch, steps, filters)): see ../README.md.
];

// runCase builds the TF.js layer, sets seeded weights and records
// y = layer(x) (inference) and the gradients of Σ y·r.
function runCase(rng, [name, className, config, inShape, mode, why]) {
  const layer = tfjsLayer[className](camel(config));
  layer.build(inShape.map((d, i) => (i === 0 ? null : d)));
  const weights = layer.getWeights().map((w, i) => {
    const name = layer.weights[i].originalName.split('/').pop();
    const data = rng.uniform(size(w.shape), -0.5, 0.5);
    if (name === 'moving_variance') data.forEach((v, j) => { data[j] = v + 0.75; }); // a variance is positive
    return { name, value: t32(data, w.shape) };
  });
  if (weights.length) layer.setWeights(weights.map((w) => w.value));
  const training = mode === 'training';
  const x = tf.variable(t32(rng.uniform(size(inShape), -2, 2), inShape), true);
  const y = layer.apply(x, { training });
  const r = t32(rng.uniform(size(y.shape), -1, 1), y.shape);
  const out = {
    name, layer: { class_name: className, config }, x: enc(x), r: enc(r),
    weights: weights.map((w) => ({ name: w.name, value: enc(w.value) })), y: enc(y),
  };
  if (training) {
    out.training = true;
    out.weights_after = layer.getWeights().map((w, i) => ({ name: weights[i].name, value: enc(w) }));
  }
  if (mode === 'forward') {
    out.gradients_skipped = why ?? 'TF.js 4.22 has no gradient for conv2d with dilation_rate > 1';
    return out;
  }
  const vars = [x, ...layer.trainableWeights.map((w) => w.read())];
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training }), r)), vars);
  out.dx = enc(grads[x.name]);
  out.grads = layer.trainableWeights.map((w, i) => ({ name: weights[i].name, value: enc(grads[w.read().name]) }));
  return out;
}

export function layerFixtures() {
  const rng = new RNG(20240601);
  return cases.map((c) => tf.tidy(() => runCase(rng, c)));
}
