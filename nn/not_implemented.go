package nn

// The Keras classes and functions keraswasm does not build (yet). They are
// not in the JS namespace (keras.layers.LSTM is undefined), but a config or
// a name that asks for one is a NotImplementedError that says so, not an
// unknown name. Keras: keras/src/layers/__init__.py and the other kinds'
// __init__.py; Keras 2 aliases from tf_keras.
func init() {
	layers.notImplemented("keraswasm has SimpleRNN, LSTM and GRU, not this recurrent class yet",
		"ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN",
		"LSTMCell", "GRUCell", "SimpleRNNCell", "StackedRNNCells")
	layers.notImplemented("",
		"Conv3D", "Convolution3D", "Conv3DTranspose",
		"MaxPooling3D", "MaxPool3D",
		"AveragePooling3D", "AvgPool3D",
		"GlobalMaxPooling3D", "GlobalMaxPool3D",
		"GlobalAveragePooling3D", "GlobalAvgPool3D",
		"ZeroPadding3D", "Cropping3D", "UpSampling3D",
		"GroupNormalization", "UnitNormalization", "Normalization",
		"Lambda",
		"SpatialDropout3D",
		"Attention", "MultiHeadAttention", "Rescaling")
	optimizers.notImplemented("", "Ftrl", "Lion", "Adafactor")
	losses.notImplemented("",
		"BinaryFocalCrossentropy", "binary_focal_crossentropy", "CategoricalFocalCrossentropy", "categorical_focal_crossentropy",
		"Dice", "dice", "Tversky", "tversky")
	metrics.notImplemented("",
		"Sum", "MeanTensor", "MeanRelativeError", "RootMeanSquaredError", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU",
		"OneHotMeanIoU", "F1Score", "FBetaScore", "R2Score", "PrecisionAtRecall", "RecallAtPrecision",
		"SensitivityAtSpecificity", "SpecificityAtSensitivity", "TruePositives", "TrueNegatives",
		"FalsePositives", "FalseNegatives")
	activations.notImplemented("",
		"celu", "glu", "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "log_sigmoid", "sparse_plus",
		"squareplus", "sparsemax", "threshold")
	constraints.notImplemented("", "RadialConstraint")
}
