// The positional-argument order of each Keras class the namespace exposes,
// after Keras 2 (tf.keras), the dialect of the user's text. A class the Go
// core registers but this table does not list still gets a constructor; it
// takes only the options object. Keras: keras/src/layers/*, optimizers/*,
// initializers/*, regularizers.py, constraints.py, losses/*, metrics/*.

const CONV_TAIL = ['activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
  'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'];
const CONV = ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', ...CONV_TAIL];
const POOL = ['pool_size', 'strides', 'padding', 'data_format'];
const GLOBAL_POOL = ['data_format', 'keepdims'];
const RNN = ['units', 'activation', 'recurrent_activation', 'use_bias'];

/** LAYER_ARGS maps layer class names to their positional arguments. */
export const LAYER_ARGS = {
  Dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
    'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'],
  Activation: ['activation'],
  Dropout: ['rate', 'noise_shape', 'seed'],
  SpatialDropout1D: ['rate'], SpatialDropout2D: ['rate', 'data_format'], SpatialDropout3D: ['rate', 'data_format'],
  GaussianNoise: ['stddev', 'seed'], GaussianDropout: ['rate', 'seed'], AlphaDropout: ['rate', 'noise_shape', 'seed'],
  Flatten: ['data_format'],
  Reshape: ['target_shape'],
  Permute: ['dims'],
  RepeatVector: ['n'],
  Conv1D: CONV, Conv2D: CONV, Conv3D: CONV,
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', ...CONV_TAIL],
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  MaxPooling1D: POOL, MaxPooling2D: POOL, MaxPooling3D: POOL,
  AveragePooling1D: POOL, AveragePooling2D: POOL, AveragePooling3D: POOL,
  GlobalMaxPooling1D: GLOBAL_POOL, GlobalMaxPooling2D: GLOBAL_POOL,
  GlobalAveragePooling1D: GLOBAL_POOL, GlobalAveragePooling2D: GLOBAL_POOL,
  ZeroPadding1D: ['padding'], ZeroPadding2D: ['padding', 'data_format'],
  Cropping1D: ['cropping'], Cropping2D: ['cropping', 'data_format'],
  UpSampling1D: ['size'], UpSampling2D: ['size', 'data_format', 'interpolation'],
  BatchNormalization: ['axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
    'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer',
    'beta_constraint', 'gamma_constraint'],
  LayerNormalization: ['axis', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer'],
  Embedding: ['input_dim', 'output_dim', 'embeddings_initializer', 'embeddings_regularizer', 'activity_regularizer',
    'embeddings_constraint', 'mask_zero', 'input_length'],
  LeakyReLU: ['alpha'], ReLU: ['max_value', 'negative_slope', 'threshold'], ELU: ['alpha'],
  ThresholdedReLU: ['theta'], Softmax: ['axis'], PReLU: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
  InputLayer: ['input_shape', 'batch_size', 'dtype'],
  ActivityRegularization: ['l1', 'l2'],
  Masking: ['mask_value'],
  SimpleRNN: RNN.filter((n) => n !== 'recurrent_activation'), GRU: RNN, LSTM: RNN,
};

/** LAYER_ALIASES are Keras's other names for the same classes. */
export const LAYER_ALIASES = {
  Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', Convolution3D: 'Conv3D', Conv2DTranspose: 'Conv2DTranspose',
  MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D', AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D', GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D', GlobalAvgPool2D: 'GlobalAveragePooling2D',
};

/** OPTIMIZER_ARGS maps optimizer classes to their positional arguments (Keras 2.11+ order). */
export const OPTIMIZER_ARGS = {
  SGD: ['learning_rate', 'momentum', 'nesterov'],
  RMSprop: ['learning_rate', 'rho', 'momentum', 'epsilon', 'centered'],
  Adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  AdamW: ['learning_rate', 'weight_decay', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  Adagrad: ['learning_rate', 'initial_accumulator_value', 'epsilon'],
  Adadelta: ['learning_rate', 'rho', 'epsilon'],
  Adamax: ['learning_rate', 'beta_1', 'beta_2', 'epsilon'],
  Nadam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon'],
  Ftrl: ['learning_rate', 'learning_rate_power', 'initial_accumulator_value', 'l1_regularization_strength',
    'l2_regularization_strength', 'l2_shrinkage_regularization_strength', 'beta'],
  Lion: ['learning_rate', 'beta_1', 'beta_2'],
};

/** INITIALIZER_ARGS lists Keras's initializers; the snake_case aliases make the same class. */
export const INITIALIZER_ARGS = {
  Zeros: [], Ones: [], Constant: ['value'],
  RandomNormal: ['mean', 'stddev', 'seed'], RandomUniform: ['minval', 'maxval', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'], VarianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  GlorotUniform: ['seed'], GlorotNormal: ['seed'], HeUniform: ['seed'], HeNormal: ['seed'],
  LecunUniform: ['seed'], LecunNormal: ['seed'], Orthogonal: ['gain', 'seed'], Identity: ['gain'],
};

/** REGULARIZER_ARGS lists Keras's regularizer classes. */
export const REGULARIZER_ARGS = { L1: ['l1'], L2: ['l2'], L1L2: ['l1', 'l2'], OrthogonalRegularizer: ['factor', 'mode'] };

/** CONSTRAINT_ARGS lists Keras's constraint classes. */
export const CONSTRAINT_ARGS = {
  MaxNorm: ['max_value', 'axis'], NonNeg: [], UnitNorm: ['axis'], MinMaxNorm: ['min_value', 'max_value', 'rate', 'axis'],
};

/** LOSS_ARGS gives the positional arguments of the loss classes (before reduction and name). */
export const LOSS_ARGS = {
  BinaryCrossentropy: ['from_logits', 'label_smoothing', 'axis'],
  BinaryFocalCrossentropy: ['apply_class_balancing', 'alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis'],
  CategoricalCrossentropy: ['from_logits', 'label_smoothing', 'axis'],
  CategoricalFocalCrossentropy: ['alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis'],
  SparseCategoricalCrossentropy: ['from_logits', 'ignore_class'],
  Huber: ['delta'], CosineSimilarity: ['axis'],
};

/** LOSS_FUNCTIONS are Keras's loss function names (usable in compile and callable on tensors). */
export const LOSS_FUNCTIONS = ['binary_crossentropy', 'binary_focal_crossentropy', 'categorical_crossentropy',
  'categorical_focal_crossentropy', 'sparse_categorical_crossentropy', 'mean_squared_error', 'mean_absolute_error',
  'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'hinge', 'squared_hinge', 'categorical_hinge',
  'kl_divergence', 'kullback_leibler_divergence', 'poisson', 'log_cosh', 'logcosh', 'huber', 'cosine_similarity',
  'mse', 'mae', 'mape', 'msle', 'kld'];

/** METRIC_ARGS gives the positional arguments of the metric classes. */
export const METRIC_ARGS = {
  Accuracy: ['name', 'dtype'], BinaryAccuracy: ['name', 'dtype', 'threshold'],
  CategoricalAccuracy: ['name', 'dtype'], SparseCategoricalAccuracy: ['name', 'dtype'],
  TopKCategoricalAccuracy: ['k', 'name', 'dtype'], SparseTopKCategoricalAccuracy: ['k', 'name', 'dtype'],
  AUC: ['num_thresholds', 'curve', 'summation_method', 'name', 'dtype', 'thresholds', 'multi_label', 'num_labels',
    'label_weights', 'from_logits'],
  Precision: ['thresholds', 'top_k', 'class_id', 'name', 'dtype'], Recall: ['thresholds', 'top_k', 'class_id', 'name', 'dtype'],
  Mean: ['name', 'dtype'], Sum: ['name', 'dtype'],
};

/** METRIC_FUNCTIONS are Keras's metric function names besides the loss functions. */
export const METRIC_FUNCTIONS = ['accuracy', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy',
  'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy'];

/** ACTIVATIONS are the activation function names (strings work too). */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax', 'tanh', 'elu', 'selu', 'softplus', 'softsign',
  'exponential', 'hard_sigmoid', 'swish', 'silu', 'gelu', 'relu6', 'leaky_relu', 'mish', 'log_softmax'];

/** CALLBACK_ARGS gives the positional arguments of the callbacks implemented by the Go core. */
export const CALLBACK_ARGS = {
  EarlyStopping: ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights', 'start_from_epoch'],
  ReduceLROnPlateau: ['monitor', 'factor', 'patience', 'verbose', 'mode', 'min_delta', 'cooldown', 'min_lr'],
  TerminateOnNaN: [],
};
