package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSummaryStudyNoteCNN checks the summary of the study note's CNN
// against the table tf.keras prints for it: the parameter counts 896, 9248,
// 18496, 36928, 7930112 and 2570, 7,998,250 in total.
func TestSummaryStudyNoteCNN(t *testing.T) {
	m := studyNoteCNN(t, 100, 100, 1)
	want := `Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #   
=================================================================
 conv2d (Conv2D)             (None, 98, 98, 32)        896       
                                                                 
 conv2d_1 (Conv2D)           (None, 96, 96, 32)        9248      
                                                                 
 max_pooling2d (MaxPooling2D  (None, 48, 48, 32)       0         
 )                                                               
                                                                 
 dropout (Dropout)           (None, 48, 48, 32)        0         
                                                                 
 conv2d_2 (Conv2D)           (None, 46, 46, 64)        18496     
                                                                 
 conv2d_3 (Conv2D)           (None, 44, 44, 64)        36928     
                                                                 
 max_pooling2d_1 (MaxPooling  (None, 22, 22, 64)       0         
 2D)                                                             
                                                                 
 dropout_1 (Dropout)         (None, 22, 22, 64)        0         
                                                                 
 flatten (Flatten)           (None, 30976)             0         
                                                                 
 dense (Dense)               (None, 256)               7930112   
                                                                 
 dropout_2 (Dropout)         (None, 256)               0         
                                                                 
 dense_1 (Dense)             (None, 10)                2570      
                                                                 
=================================================================
Total params: 7,998,250
Trainable params: 7,998,250
Non-trainable params: 0
_________________________________________________________________
`
	got, err := m.SummaryE()
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, 7998250, m.CountParams())
}
